import { apiRequest } from "./client.ts";

export interface ActivityRecord {
  id: string;
  /** `object.verb`, e.g. `invoice.finalized`. */
  type: string;
  objectType: string;
  objectId: string;
  /** The object as the API answered right after the change. */
  object: Record<string, unknown>;
  actor: { type: "api_key" | "user" | "system"; id: string };
  createdAt: string;
}

export interface ActivityFilters {
  type?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
}

export const activityApi = {
  list: (filters: ActivityFilters & { cursor?: string; limit?: number }) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== "") query.set(key, String(value));
    }
    return apiRequest<{ data: ActivityRecord[]; nextCursor: string | null }>(`/activity?${query}`);
  },
};
