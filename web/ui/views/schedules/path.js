// path.js: where the schedules of the portal state.instId are in the API.

import * as api from "../../api.js";
import { locale } from "../../i18n.js";

/** schedulesPath is the portal's schedules, or with id one of them. */
export const schedulesPath = (state, id) =>
  `/captive/instances/${api.seg(state.instId)}/coupon-schedules` + (id ? `/${api.seg(id)}` : "");

/** dayName is day of the week n (0 is Sunday) in the page's language: "Monday", "Montag". */
export function dayName(n) {
  // 4 January 1970 was a Sunday.
  return new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(1970, 0, 4 + n)));
}

/** DAY_NUMBERS: the days of the week by their number, Monday first. */
export const DAY_NUMBERS = [1, 2, 3, 4, 5, 6, 0];
