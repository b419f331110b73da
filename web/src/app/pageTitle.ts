import { useEffect } from "react";
import { useMatches } from "react-router";

/** A route's `handle`: the page's name for the browser tab and for screen readers arriving on the page. */
export interface RouteHandle {
  title?: string;
}

export const titled = (text: string) => `${text} · Pricegraph`;

/** Sets the tab's title from the deepest matched route's `handle.title`. */
export function useRouteTitle() {
  const matches = useMatches();
  const title = [...matches].reverse().find((m) => (m.handle as RouteHandle | undefined)?.title)?.handle as
    | RouteHandle
    | undefined;
  useEffect(() => {
    if (title?.title) document.title = titled(title.title);
  }, [title?.title]);
}

/** A page whose title depends on its data (a plan's name) sets it itself, once that data is there. */
export function usePageTitle(text: string | null | undefined) {
  useEffect(() => {
    if (text) document.title = titled(text);
  }, [text]);
}
