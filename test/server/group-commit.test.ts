/**
 * Group commit (server/storage/group-commit.ts): writes of one turn share a
 * transaction; each is acknowledged only after it; a failed group is
 * committed again write by write. And on the SQLite store: concurrent logged
 * evaluations each get their row and audit entry.
 */
import { describe, expect, it } from 'vitest'
import { GroupCommit } from '../../server/storage/group-commit.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { TEST_ACTOR } from './helpers.ts'

/** A commit that records each group it was given, failing any group holding `bad`. */
function recorder(bad?: number) {
  const groups: number[][] = []
  const commit = (inputs: number[]) => {
    groups.push([...inputs])
    if (bad !== undefined && inputs.includes(bad)) throw new Error(`cannot write ${bad}`)
    return inputs.map(n => n * 10)
  }
  return { groups, group: new GroupCommit(commit) }
}

const nextTurn = () => new Promise(resolve => setImmediate(resolve))

describe('group commit', () => {
  it('writes asked for in one turn are committed together, each answered with its own result', async () => {
    const { groups, group } = recorder()
    const answers = await Promise.all([1, 2, 3].map(n => group.add(n)))
    expect(answers).toEqual([10, 20, 30])
    expect(groups).toEqual([[1, 2, 3]])
    // a later turn is a later group
    expect(await group.add(4)).toBe(40)
    expect(groups).toEqual([[1, 2, 3], [4]])
  })

  it('a write is acknowledged only after its commit', async () => {
    const { groups, group } = recorder()
    let acknowledged = false
    const write = group.add(1).then(() => (acknowledged = true))
    await Promise.resolve() // microtasks of this turn: nothing committed yet
    expect(groups).toEqual([])
    expect(acknowledged).toBe(false)
    await write
    expect(groups).toEqual([[1]])
  })

  it('a group that fails is committed again write by write: the bad one fails alone', async () => {
    const { groups, group } = recorder(2)
    const answers = await Promise.allSettled([1, 2, 3].map(n => group.add(n)))
    expect(answers.map(a => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([10, 'cannot write 2', 30])
    expect(groups).toEqual([[1, 2, 3], [1], [2], [3]])
  })

  it('flush commits what waits at once (before the database closes)', async () => {
    const { groups, group } = recorder()
    const write = group.add(7)
    group.flush()
    expect(groups).toEqual([[7]])
    expect(await write).toBe(70)
    await nextTurn() // the scheduled turn finds nothing left
    expect(groups).toEqual([[7]])
  })

  describe('with an asynchronous commit (PostgreSQL)', () => {
    /** A commit that takes until `release()` for each group, failing any group holding `bad`. */
    function slowRecorder(bad?: number) {
      const groups: number[][] = []
      const pending: Array<() => void> = []
      const commit = (inputs: number[]) =>
        new Promise<number[]>((resolve, reject) => {
          groups.push([...inputs])
          pending.push(() => (bad !== undefined && inputs.includes(bad) ? reject(new Error(`cannot write ${bad}`)) : resolve(inputs.map(n => n * 10))))
        })
      const release = async () => {
        while (pending.length === 0) await nextTurn()
        pending.shift()!()
      }
      return { groups, release, group: new GroupCommit(commit) }
    }

    it('writes asked for while a commit is in flight wait for it, then go together in the next', async () => {
      const { groups, release, group } = slowRecorder()
      const first = group.add(1)
      await nextTurn() // the first group is committing
      const later = [2, 3, 4].map(n => group.add(n))
      await nextTurn()
      expect(groups).toEqual([[1]]) // nothing else starts while it is in flight
      await release()
      expect(await first).toBe(10)
      await release()
      expect(await Promise.all(later)).toEqual([20, 30, 40])
      expect(groups).toEqual([[1], [2, 3, 4]])
    })

    it('a group that fails is committed again write by write; flush resolves once all is done', async () => {
      const { groups, release, group } = slowRecorder(2)
      const answers = Promise.allSettled([1, 2, 3].map(n => group.add(n)))
      const flushed = group.flush()
      for (let i = 0; i < 4; i++) await release()
      await flushed
      expect((await answers).map(a => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([10, 'cannot write 2', 30])
      expect(groups).toEqual([[1, 2, 3], [1], [2], [3]])
    })
  })

  it('on the store: concurrent logged evaluations each get their row, id and audit entry', async () => {
    const store = openSqliteStore(':memory:')
    try {
      await store.createProtocol({ id: 'p', registry_id: 'NCT00000000', yaml: 'x', change_note: '' }, TEST_ACTOR)
      const evaluation = (overall: 'eligible' | 'ineligible' | 'undetermined') => ({
        protocol_id: 'p',
        version: 1,
        subject_id: null,
        overall,
        failing: '[]',
        verdict: JSON.stringify({ overall }),
        patient: '{}',
      })
      const rows = await Promise.all((['eligible', 'ineligible', 'undetermined'] as const).map(o => store.addEvaluation(evaluation(o), TEST_ACTOR)))
      expect(new Set(rows.map(r => r.id)).size).toBe(3)
      expect(rows.map(r => r.overall)).toEqual(['eligible', 'ineligible', 'undetermined'])
      const audited = await store.audit({ entity: 'evaluation' })
      expect(audited.map(a => a.entity_id).sort()).toEqual(rows.map(r => String(r.id)).sort())
    } finally {
      store.close()
    }
  })
})
