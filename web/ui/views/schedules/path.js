// path.js: where the schedules of the portal state.instId are in the API.

import * as api from "../../api.js";

/** schedulesPath is the portal's schedules, or with id one of them. */
export const schedulesPath = (state, id) =>
  `/captive/instances/${api.seg(state.instId)}/coupon-schedules` + (id ? `/${api.seg(id)}` : "");

/** DAYS: the days of the week by their number (0 is Sunday). */
export const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
