/**
 * The subject page's sections, loaded with `import()` when a subject page
 * first opens, so they are not in the shell chunk (the page's own element
 * stays small; the browser upgrades the section elements once this loads).
 */
import '../components/tp-subject-screening.ts'
import '../components/tp-subject-record-editor.ts'
import '../components/tp-subject-calendar.ts'
import '../components/tp-subject-visit-form.ts'
import '../components/tp-subject-charts.ts'
import '../components/tp-subject-responses.ts'
import '../components/tp-subject-adverse-events.ts'
import '../components/tp-subject-ae-form.ts'
