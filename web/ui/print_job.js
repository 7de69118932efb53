// print_job.js: the print job handed to the print view: which coupons (by
// id, or a schedule run) of which portal, kept in sessionStorage so that a
// reload of the print view prints the same cards.

const JOB_KEY = "gatehouse.print";

/**
 * startPrint opens the print view for {instance, coupon_ids} or {instance,
 * run_id}; autoprint: true opens the browser's print dialog at once.
 */
export function startPrint(ctx, job) {
  saveJob(job);
  const run = job.run_id ? "&run=" + encodeURIComponent(job.run_id) : "";
  ctx.navigate("/print?instance=" + encodeURIComponent(job.instance) + run);
}

/** saveJob keeps job as the print view's job (e.g. once its autoprint is done). */
export const saveJob = (job) => sessionStorage.setItem(JOB_KEY, JSON.stringify(job));

/** currentJob is the job of the print view's URL params, or the one stored, or null. */
export function currentJob(params) {
  const inst = params.get("instance");
  if (inst && params.get("run")) return { instance: inst, run_id: params.get("run") };
  try {
    const job = JSON.parse(sessionStorage.getItem(JOB_KEY) || "null");
    if (job && (!inst || job.instance === inst)) return job;
  } catch {
    /* no job */
  }
  return null;
}
