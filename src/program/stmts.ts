/**
 * Walking a function's statements: each statement, then an if's branches, a for loop's init,
 * post statement and body. The frame model and the Go emitter both ask these questions.
 */
import type { Stmt } from './model.js';

/** Visits every statement of the list, nested ones included, in source order. */
export function walk(stmts: Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    if (s.kind === 'if') {
      walk(s.then, visit);
      walk(s.else, visit);
    } else if (s.kind === 'for') {
      if (s.init) visit(s.init);
      if (s.post) visit(s.post);
      walk(s.body, visit);
    }
  }
}

/** Every statement of the list, nested ones included, in the order walk visits them. */
export function flatten(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  walk(stmts, (s) => out.push(s));
  return out;
}

/** Whether any statement of the list, nested ones included, satisfies pred. */
export function anyStmt(stmts: Stmt[], pred: (s: Stmt) => boolean): boolean {
  for (const s of stmts) {
    if (pred(s)) return true;
    if (s.kind === 'if' && (anyStmt(s.then, pred) || anyStmt(s.else, pred))) return true;
    if (s.kind === 'for' && ((s.init && pred(s.init)) || (s.post && pred(s.post)) || anyStmt(s.body, pred))) return true;
  }
  return false;
}

/** The statement lists nested directly in a statement: an if's branches, a loop's body. */
export function innerLists(s: Stmt): Stmt[][] {
  return s.kind === 'if' ? [s.then, s.else] : s.kind === 'for' ? [s.body] : [];
}
