// Headers the custom server sets on every request, replacing anything a client sent under the same name.

/** The requested path and query, so a signed-out visitor returns to the exact console page after sign-in. */
export const REQUEST_PATH_HEADER = "x-switchboard-path";
