/**
 * The data directory of a running server: created private (0700), held by
 * one server at a time through a lock file, and the problems of starting on
 * it (not writable, held by another server, not a database, port in use)
 * told in one line that names the path and what to do.
 */
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** File modes: the directory and every file in it are for the service's user only. */
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

export const LOCK_FILE = 'server.lock'
export const ADMIN_TOKEN_FILE = 'admin-token.txt'

/** A startup problem the operator can fix, told as one line (no stack trace). */
export class StartupError extends Error {
  override name = 'StartupError'
}

/** What a lock file says about the server holding the directory. */
export interface LockHolder {
  pid: number
  host: string
  /** ISO time the holder started. */
  since: string
}

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code

/**
 * Create the data directory (0700, parents as needed) when it is missing and
 * check that it is a directory this process can write; an existing one open
 * to other users gets a note.
 *
 * @throws StartupError naming the directory when it cannot be created or written
 */
export function prepareDataDir(dir: string, note: (line: string) => void = l => console.error(l)): void {
  const existed = existsSync(dir)
  try {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  } catch (e) {
    throw new StartupError(
      `Cannot create the data directory ${dir} (${code(e) ?? (e as Error).message}): create it or set DATA_DIR to a directory this user can write`,
    )
  }
  if (!statSync(dir).isDirectory()) throw new StartupError(`The data directory ${dir} is not a directory: set DATA_DIR to a directory`)
  const mode = statSync(dir).mode & 0o777
  if (existed && process.platform !== 'win32' && (mode & 0o077) !== 0) {
    // an older installation's directory is left as it is, but said
    note(`Note: the data directory ${dir} is open to other local users (mode ${mode.toString(8)}); restrict it with: chmod 700 ${dir}`)
  }
  // root passes access(); a probe file is the only honest answer, and it checks read-only mounts too
  const probe = join(dir, `.write-test-${process.pid}`)
  try {
    closeSync(openSync(probe, 'wx', FILE_MODE))
    unlinkSync(probe)
  } catch (e) {
    throw new StartupError(
      `The data directory ${dir} is not writable (${code(e) ?? (e as Error).message}): give this user write access (chmod u+w ${dir}) or set DATA_DIR to a writable directory`,
    )
  }
}

/** Whether a process with this pid exists on this machine. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists, it is just not ours
    return code(e) === 'EPERM'
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string') return { pid: h.pid, host: h.host, since: h.since }
  } catch {
    // missing or unreadable: no holder to report
  }
  return undefined
}

export interface DataDirLock {
  file: string
  holder: LockHolder
  /** Remove the lock file when it is still ours; safe to call more than once. */
  release(): void
}

/**
 * Take the data directory for this process: one server (one writer) per
 * directory. The lock file is created atomically with its content (written to
 * a private temporary file, then hard-linked into place, which fails when the
 * lock exists). A lock left by a process that is gone (same host, pid not
 * alive) is taken over with a note on stderr.
 *
 * @throws StartupError with one line naming the directory and the holder
 */
export function lockDataDir(dir: string, note: (line: string) => void = l => console.error(l)): DataDirLock {
  const file = join(dir, LOCK_FILE)
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
  const content = `${JSON.stringify(me)}\n`
  const temp = join(dir, `.${LOCK_FILE}.${process.pid}`)
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(temp, 'w', FILE_MODE)
      try {
        writeSync(fd, content)
      } finally {
        closeSync(fd)
      }
      try {
        linkSync(temp, file)
      } finally {
        unlinkSync(temp)
      }
      break
    } catch (e) {
      if (code(e) !== 'EEXIST')
        throw new StartupError(`Cannot create the lock file ${file} (${code(e) ?? (e as Error).message}): give this user write access to ${dir}`)
    }
    const holder = readHolder(file)
    if (holder && holder.host !== me.host) {
      throw new StartupError(
        `The data directory ${dir} is in use by another server (pid ${holder.pid} on host ${holder.host}, since ${holder.since}): stop it, or delete ${file} if it no longer runs`,
      )
    }
    if (holder && pidAlive(holder.pid)) {
      throw new StartupError(
        `The data directory ${dir} is in use by another server (pid ${holder.pid}, since ${holder.since}): stop it first or set DATA_DIR to another directory`,
      )
    }
    if (!holder && attempt === 0 && existsSync(file) && Date.now() - statSync(file).mtimeMs < 2000) {
      // unreadable and brand new: another process may be writing it right now; look once more
      continue
    }
    if (attempt > 1) throw new StartupError(`Cannot take the lock ${file} of the data directory ${dir}: delete it if no server runs on ${dir}`)
    note(
      holder
        ? `Note: taking over the lock of the data directory ${dir} left by pid ${holder.pid} (since ${holder.since}), which is no longer running`
        : `Note: replacing the unreadable lock file ${file}`,
    )
    try {
      unlinkSync(file)
    } catch (e) {
      if (code(e) !== 'ENOENT') throw new StartupError(`Cannot remove the stale lock file ${file} (${code(e)}): delete it by hand`)
    }
  }
  let released = false
  return {
    file,
    holder: me,
    release() {
      if (released) return
      released = true
      const now = readHolder(file)
      if (now && now.pid === me.pid && now.since === me.since) {
        try {
          unlinkSync(file)
        } catch {
          // already gone
        }
      }
    },
  }
}

/** Tighten the database files (db, -wal, -shm, -journal) to 0600; files that do not exist or are not ours are left alone. */
export function restrictDatabaseFiles(dbFile: string): void {
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    try {
      if ((statSync(f).mode & 0o777) !== FILE_MODE) chmodSync(f, FILE_MODE)
    } catch {
      // missing, or owned by another user: nothing to do here
    }
  }
}

/**
 * Save the first-start admin token in the data directory, readable by the
 * service's user only, so that it does not only live in service logs.
 *
 * @returns the path of the file
 */
export function saveAdminToken(dir: string, token: string): string {
  const file = join(dir, ADMIN_TOKEN_FILE)
  writeFileSync(file, `${token}\n`, { mode: FILE_MODE })
  chmodSync(file, FILE_MODE) // an older file keeps its mode on write
  return file
}

/** Whether a HOST value only listens on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

/** One line for an error met while opening the database file. */
export function databaseOpenError(dbFile: string, e: unknown): StartupError | undefined {
  const c = code(e) ?? ''
  const message = (e as Error | undefined)?.message ?? String(e)
  if (c === 'SQLITE_NOTADB' || /not a database/i.test(message)) {
    return new StartupError(`The database file ${dbFile} is not an SQLite database: move it away (or set DATA_DIR to another directory) and start again`)
  }
  if (c.startsWith('SQLITE_CORRUPT')) return new StartupError(`The database file ${dbFile} is damaged (${c}): restore it from a backup`)
  if (c.startsWith('SQLITE_READONLY') || c.startsWith('SQLITE_PERM') || c.startsWith('SQLITE_CANTOPEN') || c === 'EACCES' || c === 'EPERM') {
    return new StartupError(`Cannot open the database file ${dbFile} for writing (${c}): give this user read and write access to it and to its directory`)
  }
  if (c.startsWith('SQLITE_BUSY')) return new StartupError(`The database file ${dbFile} is locked by another process (${c}): stop it and start again`)
  return undefined
}

/** One line for an error of the listening socket. */
export function listenError(host: string, port: number, e: unknown): StartupError | undefined {
  const c = code(e)
  if (c === 'EADDRINUSE') return new StartupError(`Port ${port} on ${host} is already in use: stop what listens there or set PORT to a free port`)
  if (c === 'EADDRNOTAVAIL')
    return new StartupError(`Cannot listen on ${host}: no such address on this machine; set HOST to one of its addresses (127.0.0.1 by default)`)
  if (c === 'EACCES') return new StartupError(`Not allowed to listen on port ${port} on ${host}: set PORT to 1024 or above`)
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') return new StartupError(`Cannot resolve HOST ${host}: set HOST to an address of this machine`)
  return undefined
}
