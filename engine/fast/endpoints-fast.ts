/**
 * Response endpoints on the fast backend: each response endpoint's
 * normalised logic compiled to closures (compile-fast.ts) once per compiled
 * protocol, run at one visit of one subject into the Trace explain.ts reads.
 * The reference backend gets the same Trace from json-rules-engine's two runs
 * of the endpoint rules (engine-pair.ts); test/engine/endpoints/
 * backends.test.ts checks the results agree on every shipped subject.
 */
import type { SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { RecordMemo, RunContext } from '../evaluate/facts/context.ts'
import { newTrace, type Trace } from '../evaluate/trace.ts'
import { beginRecord, treeCompiler } from './compile-fast.ts'

/** Runs every response endpoint's logic of one protocol; one at a time (the working state is reused). */
export interface FastEndpointTracer {
  /** @param memo - the subject's record memo (SubjectCalendar `memo`), shared by its visits and other endpoints */
  traceAt(subject: SubjectRecord, run: RunContext, memo: RecordMemo): Trace
}

function compileEndpoints(compiled: CompiledProtocol): FastEndpointTracer {
  // the context of the reference's endpoint runs (engine-pair.ts), its run context set per visit below
  const ctx = { doc: compiled.document, params: compiled.parameters, dictionary: compiled.dictionary, extensions: compiled.extensions, run: {} }
  const compiler = treeCompiler(ctx)
  const parts = compiled.endpoints.map(e => compiler.part(e.id, 'logic', e.logic))
  const state = compiler.newState()
  return {
    traceAt(subject, run, memo) {
      const trace = newTrace()
      // the evidence of "the current visit" depends on the visit; what the memo holds on the subject does not
      const s = beginRecord(state, subject, trace, memo)
      s.ctx.run = run
      try {
        for (const part of parts) part(s)
      } finally {
        s.trace = null
      }
      return trace
    },
  }
}

const tracers = new WeakMap<CompiledProtocol, FastEndpointTracer>()

/** The endpoint closures of a compiled protocol, compiled on first use. */
export function fastEndpointsOf(compiled: CompiledProtocol): FastEndpointTracer {
  let tracer = tracers.get(compiled)
  if (!tracer) {
    tracer = compileEndpoints(compiled)
    tracers.set(compiled, tracer)
  }
  return tracer
}
