/**
 * Preloaded into a bridge process by the crash-policy tests (NODE_OPTIONS=--require …): each
 * SIGUSR2 makes the next fault of BRIDGE_TEST_FAULTS (comma-separated) happen inside the
 * process, the way a bug would: `rejection` a promise rejected with nobody to handle it,
 * `exception` an error thrown from a timer callback. The bridge itself has no test hooks.
 */
const faults = (process.env.BRIDGE_TEST_FAULTS || '').split(',').filter(Boolean);
process.on('SIGUSR2', () => {
  const fault = faults.shift();
  if (fault === 'rejection') void Promise.reject(new Error('injected rejection'));
  if (fault === 'exception') {
    setImmediate(() => {
      throw new Error('injected exception');
    });
  }
});
