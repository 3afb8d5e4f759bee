// Maps a request path to its declared operation the way res_ari walks its handler tree: segment
// by segment, a literal segment winning over a {variable} one, with no backtracking. A path that
// exists without the method answers 405.

import type { HttpMethod, OperationDecl } from './ari-declarations.ts';

interface RouteNode {
  literal: Map<string, RouteNode>;
  variable?: { name: string; node: RouteNode };
  operations: Map<string, OperationDecl>;
}

const newNode = (): RouteNode => ({ literal: new Map(), operations: new Map() });

export type RouteMatch =
  | { kind: 'found'; op: OperationDecl; path: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

export class AriRouter {
  #root = newNode();

  constructor(operations: readonly OperationDecl[]) {
    for (const op of operations) this.#add(op);
  }

  match(method: string, path: string): RouteMatch {
    let node = this.#root;
    const vars: Record<string, string> = {};
    for (const raw of path.split('/').filter((s) => s !== '')) {
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        return { kind: 'not-found' };
      }
      const literal = node.literal.get(segment);
      if (literal) {
        node = literal;
      } else if (node.variable) {
        vars[node.variable.name] = segment;
        node = node.variable.node;
      } else {
        return { kind: 'not-found' };
      }
    }
    if (node.operations.size === 0) return { kind: 'not-found' };
    const op = node.operations.get(method as HttpMethod);
    return op
      ? { kind: 'found', op, path: vars }
      : { kind: 'wrong-method', allowed: [...node.operations.keys()] };
  }

  #add(op: OperationDecl): void {
    let node = this.#root;
    for (const segment of op.path.split('/').filter((s) => s !== '')) {
      const variable = /^\{(.+)\}$/.exec(segment)?.[1];
      if (variable) {
        node.variable ??= { name: variable, node: newNode() };
        node = node.variable.node;
      } else {
        let next = node.literal.get(segment);
        if (!next) {
          next = newNode();
          node.literal.set(segment, next);
        }
        node = next;
      }
    }
    node.operations.set(op.httpMethod, op);
  }
}
