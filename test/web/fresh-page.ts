/**
 * Before each unit-web file (vitest.config.ts `setupFiles`): the page as a
 * browser would open it. The files share one module graph and one happy-dom
 * window per worker (`isolate: false`), so what a page keeps is cleared here:
 * the DOM, storage, the address and the lab concepts fetched once per page
 * (web/api/dictionary.ts). Files without a page (the node environment) have
 * nothing to clear.
 */
if (typeof document !== 'undefined') {
  const { forgetLabConcepts } = await import('../../web/api/dictionary.ts')
  forgetLabConcepts()
  document.body.innerHTML = ''
  sessionStorage.clear()
  localStorage.clear()
  if (location.hash) location.hash = ''
}
