/**
 * Reading a user's file without trusting it: the size is checked before a byte is parsed,
 * only regular files are read, and every way a read can fail becomes one sentence that says
 * what to do, never an exception.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';

/** The path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

/** Why a file system call failed, as the start of a sentence the user can act on. */
export function fsProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'not found';
    case 'ELOOP':
      return 'a symbolic link loop (a link that points back at itself): fix or remove the link';
    case 'EACCES':
    case 'EPERM':
      return "permission denied: fix its permissions (and its folders'), or point the setting elsewhere";
    case 'EROFS':
      return 'on a read-only file system';
    case 'ENOSPC':
      return 'on a full disk';
    case 'ENOTDIR':
      return 'a path through a file: a folder on the way is a file';
    case 'EISDIR':
      return 'a directory, not a file';
    case 'ENAMETOOLONG':
      return 'a path too long for the file system';
    default:
      return `cannot be read (${code ?? (error as Error)?.message ?? String(error)})`;
  }
}

export type ReadText = { readonly text: string; readonly problem?: undefined } | { readonly text?: undefined; readonly problem: string };

/** The file's text, or why it cannot be used: not a regular file, over `limitBytes`, binary. */
export function readTextFile(file: string, limitBytes: number, what: string): ReadText {
  let fd: number;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait for a writer forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: fsProblem(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: `not a regular file: a ${what} must be a file` };
    if (stat.size > limitBytes) {
      return {
        problem: `${kib(stat.size)} is over the limit of ${kib(limitBytes)} for a ${what}: it cannot be a real one; split it or remove what was generated into it`,
      };
    }
    // Read at most one byte past the limit: the size may change between fstat and read.
    const buffer = Buffer.alloc(limitBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limitBytes) return { problem: `over the limit of ${kib(limitBytes)} for a ${what}` };
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) return { problem: `not a text file (it holds NUL bytes): a ${what} is YAML text` };
    return { text: bytes.toString('utf8') };
  } catch (error) {
    return { problem: fsProblem(error) };
  } finally {
    closeSync(fd);
  }
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KiB`;
}
