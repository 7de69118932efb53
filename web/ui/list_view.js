// list_view.js: the two steps of a page that lists things from the API
// and deletes them (plans, notification groups, sign-in providers):
// loading the list into its box, and deleting one after asking.

import * as api from "./api.js";
import { fill } from "./dom.js";
import { confirmDialog, toast } from "./kit.js";
import { t } from "./i18n.js";

/**
 * listLoader returns load(): it gets path and fills box with show(list),
 * or with empty() when the list is empty. A failure empties box and is
 * shown in err (an errorBox) under the words failed. load resolves to the
 * list, or null when it failed.
 */
export function listLoader(path, box, err, { failed, empty, show }) {
  return async function load() {
    err.clear();
    let list;
    try {
      list = await api.get(path);
    } catch (e) {
      box.replaceChildren();
      err.show(e, failed);
      return null;
    }
    fill(box, list.length ? show(list) : empty());
    return list;
  };
}

/**
 * confirmDelete asks whether to delete name (body says what follows),
 * deletes path, says deleted and runs done(). A failure is shown in err;
 * a 409 in the words conflict, when given.
 */
export async function confirmDelete(path, name, { body, deleted, done, err, conflict }) {
  if (!(await confirmDialog({ title: t("list.delete_title", { name }), body }))) return;
  try {
    await api.del(path);
    toast(deleted);
    done();
  } catch (e) {
    err.show(e.status === 409 && conflict ? { message: conflict } : e, t("list.not_deleted", { name }));
    err.el.scrollIntoView({ block: "nearest" });
  }
}
