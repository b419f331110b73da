import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createBrowserRouter, RouterProvider } from "react-router";
import { ApiError } from "../api/client.ts";
import { storeApiKey } from "./auth.ts";
import { routes } from "./routes.tsx";

const router = createBrowserRouter(routes);

/** A revoked key or an ended session signs the user out instead of failing every screen. */
function onApiError(error: Error) {
  if (error instanceof ApiError && error.status === 401 && window.location.pathname !== "/sign-in") {
    storeApiKey(null);
    queryClient.removeQueries({ queryKey: ["session"] });
    router.navigate("/sign-in");
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
