// A small schema language that reads YAML nodes (not plain values), so that every problem points
// at the exact key or value in the file, and that also writes itself out as JSON Schema for
// editors. The briefing format is defined once, in briefing.ts, with these pieces.

import { isMap, isNode, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { didYouMean } from '../diagnostics.js';

export type Path = readonly (string | number)[];
export type JsonSchema = Record<string, unknown>;

/** What a schema needs from the reader: positions, alias resolution and a place to report. */
export interface ReadContext {
  /** Reports a problem at a node (or, without one, at the innermost enclosing node). */
  error(rule: string, message: string, node: unknown): void;
  /** Follows aliases (bounded, so alias bombs cannot expand), returning the node they stand for. */
  resolve(node: unknown): unknown;
  /** Names a path in messages ("slides[0].points"; the root is "the briefing" or "the config"). */
  path(path: Path): string;
  /** Called for every inline-Markdown text value, so later checks (citations) can find them. */
  text(value: string, node: Scalar, path: Path, block: boolean): void;
  /** Why a node that should be text is not (a YAML pitfall), as "; reason: fix", or ''. */
  whyNotText?(node: unknown): string;
  /** Why a mapping has a key that looks like text (a YAML pitfall), as "; reason: fix", or ''. */
  whyUnknownKey?(map: YAMLMap, value: unknown): string;
}

export const INVALID: unique symbol = Symbol('invalid');
export type Result<T> = T | typeof INVALID;

export interface Schema<T> {
  /** How the expected value reads in a message: "a string", "a list". */
  readonly expected: string;
  readonly optional?: boolean;
  /** Whether the node has the right shape to be read by this schema (used to pick alternatives). */
  accepts(node: unknown): boolean;
  read(node: unknown, path: Path, ctx: ReadContext): Result<T>;
  toJson(): JsonSchema;
}

export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;
type Fields = Record<string, Schema<unknown>>;
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends OptionalSchema<unknown> ? K : never }[keyof F];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<F extends Fields> = Simplify<
  { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    -readonly [K in OptionalKeys<F>]?: Infer<F[K]>;
  }
>;

export function formatPath(path: Path, root = 'the briefing'): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? root : out;
}

/** "a number", "a list"...: what the user actually wrote, for "must be X, got Y" messages. */
export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'nothing (an empty value)';
    if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
    if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
    if (typeof value === 'boolean') return `${value}`;
    if (value instanceof Date) return 'a date';
  }
  return 'an unsupported value';
}

function mismatch<T>(schema: Schema<T>, node: unknown, path: Path, ctx: ReadContext): typeof INVALID {
  const hint = schema.expected.includes('a string') ? (ctx.whyNotText?.(node) ?? '') : '';
  ctx.error('type', `${ctx.path(path)} must be ${schema.expected}, got ${describeNode(node)}${hint}`, node);
  return INVALID;
}

interface StringOptions {
  /** Markdown with citations: `true` for inline text (most strings), 'block' for bodies and notes. */
  text?: boolean | 'block';
  description?: string;
  maxLength?: number;
  /** Extra check on the value; returns a message fragment ("is not a date") or nothing. */
  check?: (value: string) => string | undefined;
  checkRule?: string;
  format?: string;
  pattern?: string;
  /** Also accept a number, read as written (a bare year such as 2024). */
  acceptNumber?: boolean;
}

export function string(options: StringOptions = {}): Schema<string> {
  const schema: Schema<string> = {
    expected: 'a string',
    accepts: (node) => isScalar(node) && (typeof node.value === 'string' || (options.acceptNumber === true && typeof node.value === 'number')),
    read(node, path, ctx) {
      if (!schema.accepts(node)) return mismatch(schema, node, path, ctx);
      const scalar = node as Scalar<string>;
      const value = typeof scalar.value === 'number' ? (scalar.source ?? String(scalar.value)) : scalar.value;
      if (value.trim() === '') {
        ctx.error('empty', `${ctx.path(path)} must not be empty`, node);
        return INVALID;
      }
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        ctx.error('length', `${ctx.path(path)} is ${value.length} characters long; the limit is ${options.maxLength}`, node);
        return INVALID;
      }
      const problem = options.check?.(value);
      if (problem !== undefined) {
        ctx.error(options.checkRule ?? 'format', `${ctx.path(path)} ${problem}`, node);
        return INVALID;
      }
      if (options.text) ctx.text(value, scalar, path, options.text === 'block');
      return value;
    },
    toJson: () => ({
      ...(options.acceptNumber ? { type: ['string', 'integer'] } : { type: 'string', minLength: 1 }),
      ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
      ...(options.format === undefined ? {} : { format: options.format }),
      ...(options.pattern === undefined ? {} : { pattern: options.pattern }),
      ...(options.description === undefined ? {} : { description: options.description }),
    }),
  };
  return schema;
}

export function number(description?: string, range: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  const { min, max, integer } = range;
  const schema: Schema<number> = {
    expected: integer ? 'a whole number' : 'a number',
    accepts: (node) => isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value),
    read(node, path, ctx) {
      if (!schema.accepts(node)) return mismatch(schema, node, path, ctx);
      const value = (node as Scalar<number>).value;
      const within = (min === undefined || value >= min) && (max === undefined || value <= max) && (!integer || Number.isInteger(value));
      if (within) return value;
      const bounds = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
      ctx.error('range', `${ctx.path(path)} must be ${integer ? 'a whole number' : 'a number'} ${bounds}, got ${value}`, node);
      return INVALID;
    },
    toJson: () => ({
      type: integer ? 'integer' : 'number',
      ...(min === undefined ? {} : { minimum: min }),
      ...(max === undefined ? {} : { maximum: max }),
      ...(description === undefined ? {} : { description }),
    }),
  };
  return schema;
}

export function boolean(description?: string): Schema<boolean> {
  const schema: Schema<boolean> = {
    expected: 'true or false',
    accepts: (node) => isScalar(node) && typeof node.value === 'boolean',
    read: (node, path, ctx) => (schema.accepts(node) ? ((node as Scalar<boolean>).value) : mismatch(schema, node, path, ctx)),
    toJson: () => ({ type: 'boolean', ...(description === undefined ? {} : { description }) }),
  };
  return schema;
}

export function oneOf<const V extends string>(values: readonly V[], description?: string): Schema<V> {
  const quoted = values.map((v) => `"${v}"`).join(', ');
  const schema: Schema<V> = {
    expected: `one of ${quoted}`,
    accepts: (node) => isScalar(node) && typeof node.value === 'string',
    read(node, path, ctx) {
      if (!schema.accepts(node)) return mismatch(schema, node, path, ctx);
      const value = (node as Scalar<string>).value;
      if ((values as readonly string[]).includes(value)) return value as V;
      ctx.error('enum', `${ctx.path(path)} must be one of ${quoted}, got "${value}"${didYouMean(value, values)}`, node);
      return INVALID;
    },
    toJson: () => ({ enum: [...values], ...(description === undefined ? {} : { description }) }),
  };
  return schema;
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return { ...inner, optional: true };
}

export function list<T>(item: Schema<T>, limits: { min?: number; max?: number; description?: string } = {}): Schema<T[]> {
  const { min = 0, max } = limits;
  const schema: Schema<T[]> = {
    expected: 'a list',
    accepts: (node) => isSeq(node),
    read(node, path, ctx) {
      if (!isSeq(node)) return mismatch(schema, node, path, ctx);
      const count = node.items.length;
      if (count < min) {
        ctx.error('length', `${ctx.path(path)} must have at least ${min} item${min === 1 ? '' : 's'}, got ${count}`, node);
      }
      if (max !== undefined && count > max) {
        ctx.error('length', `${ctx.path(path)} must have at most ${max} items, got ${count}`, node.items[max]);
      }
      let valid = count >= min && (max === undefined || count <= max);
      const out: T[] = [];
      node.items.forEach((raw, index) => {
        const value = item.read(ctx.resolve(raw), [...path, index], ctx);
        if (value === INVALID) valid = false;
        else out.push(value);
      });
      return valid ? out : INVALID;
    },
    toJson: () => ({
      type: 'array',
      items: item.toJson(),
      ...(min > 0 ? { minItems: min } : {}),
      ...(max === undefined ? {} : { maxItems: max }),
      ...(limits.description === undefined ? {} : { description: limits.description }),
    }),
  };
  return schema;
}

/** The first alternative whose shape fits the node reads it (a string or a mapping, say). */
export function either<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  const schema: Schema<A | B> = {
    expected: `${a.expected} or ${b.expected}`,
    accepts: (node) => a.accepts(node) || b.accepts(node),
    read(node, path, ctx) {
      if (a.accepts(node)) return a.read(node, path, ctx);
      if (b.accepts(node)) return b.read(node, path, ctx);
      return mismatch(schema, node, path, ctx);
    },
    toJson: () => ({ anyOf: [a.toJson(), b.toJson()] }),
  };
  return schema;
}

/** Any YAML value, as plain data (for the free fields of custom slide types). */
export function anything(): Schema<unknown> {
  return {
    expected: 'a value',
    accepts: () => true,
    read: (node) => (isNode(node) ? (node as Node).toJSON() : null),
    toJson: () => ({}),
  };
}

/** Keys that must never become object keys, even in free data. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ObjectSchema<F extends Fields> extends Schema<ObjectOf<F>> {
  readonly fields: F;
}

interface ObjectOptions<F extends Fields> {
  description?: string;
  /** Groups of keys of which exactly one must be present. */
  exactlyOne?: readonly (keyof F & string)[];
  /** Cross-field checks that need the value and its node (a table row's length, say). */
  refine?: (value: ObjectOf<F>, node: YAMLMap, path: Path, ctx: ReadContext) => boolean;
  /** Read keys not in `fields` with this schema instead of rejecting them. */
  rest?: Schema<unknown>;
}

export function object<F extends Fields>(fields: F, options: ObjectOptions<F> = {}): ObjectSchema<F> {
  const keys = Object.keys(fields);
  const schema: ObjectSchema<F> = {
    fields,
    expected: 'a mapping',
    accepts: (node) => isMap(node),
    read(node, path, ctx) {
      if (!isMap(node)) return mismatch(schema, node, path, ctx);
      let valid = true;
      // A mapping that is really text (`- Risk: high`) is explained once, not as missing keys too.
      let text = false;
      const present = new Map<string, unknown>();
      for (const pair of node.items) {
        const key = ctx.resolve(pair.key);
        if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
          ctx.error('key', `${ctx.path(path)} has a key that is not a plain name`, pair.key ?? node);
          valid = false;
          continue;
        }
        const name = String(key.value);
        if (options.rest !== undefined && !Object.hasOwn(fields, name) && !UNSAFE_KEYS.has(name)) {
          present.set(name, pair.value ?? null);
          continue;
        }
        if (!Object.hasOwn(fields, name)) {
          const suggestion = didYouMean(name, keys);
          const hint = suggestion === '' ? (ctx.whyUnknownKey?.(node, pair.value) ?? '') : '';
          if (hint !== '' && node.items.length === 1) text = true;
          ctx.error('unknown-key', `${ctx.path(path)} has unknown key "${name}"${suggestion}${hint}`, key);
          valid = false;
          continue;
        }
        present.set(name, pair.value ?? null);
      }
      const out: Record<string, unknown> = {};
      if (options.rest !== undefined) {
        for (const [name, raw] of present) {
          if (Object.hasOwn(fields, name)) continue;
          const value = options.rest.read(ctx.resolve(raw), [...path, name], ctx);
          if (value === INVALID) valid = false;
          else Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
        }
      }
      for (const [name, field] of Object.entries(fields)) {
        if (!present.has(name)) {
          if (!field.optional && !text) {
            ctx.error('required', `${ctx.path(path)} is missing "${name}"`, node);
            valid = false;
          }
          continue;
        }
        const value = field.read(ctx.resolve(present.get(name)), [...path, name], ctx);
        if (value === INVALID) valid = false;
        else out[name] = value;
      }
      const group = options.exactlyOne;
      if (group !== undefined && !text && group.filter((k) => present.has(k)).length !== 1) {
        const names = group.map((k) => `"${k}"`).join(' or ');
        ctx.error('required', `${ctx.path(path)} must have exactly one of ${names}`, node);
        valid = false;
      }
      if (!valid) return INVALID;
      const typed = out as ObjectOf<F>;
      return options.refine === undefined || options.refine(typed, node, path, ctx) ? typed : INVALID;
    },
    toJson() {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, field] of Object.entries(fields)) properties[name] = field.toJson();
      const required = keys.filter((k) => !fields[k]!.optional);
      return {
        type: 'object',
        ...(options.description === undefined ? {} : { description: options.description }),
        properties,
        ...(required.length > 0 ? { required } : {}),
        ...(options.exactlyOne === undefined ? {} : { oneOf: options.exactlyOne.map((k) => ({ required: [k] })) }),
        additionalProperties: options.rest === undefined ? false : options.rest.toJson(),
      };
    },
  };
  return schema;
}

/** A mapping whose `key` field picks which object schema applies (slides by `type`). */
export function tagged<const K extends string, M extends Record<string, ObjectSchema<Fields>>>(
  key: K,
  members: M,
  noun: string = key,
): Schema<{ [T in keyof M]: Infer<M[T]> }[keyof M]> {
  const names = Object.keys(members);
  type Out = { [T in keyof M]: Infer<M[T]> }[keyof M];
  const schema: Schema<Out> = {
    expected: 'a mapping',
    accepts: (node) => isMap(node),
    read(node, path, ctx) {
      if (!isMap(node)) return mismatch(schema, node, path, ctx);
      const tagNode = ctx.resolve(node.get(key, true));
      if (tagNode === undefined) {
        ctx.error('required', `${ctx.path(path)} is missing "${key}" (one of ${names.join(', ')})`, node);
        return INVALID;
      }
      if (!isScalar(tagNode) || typeof tagNode.value !== 'string') {
        ctx.error('type', `${ctx.path([...path, key])} must be a string, got ${describeNode(tagNode)}`, tagNode);
        return INVALID;
      }
      const tag = tagNode.value;
      const member = Object.hasOwn(members, tag) ? members[tag] : undefined;
      if (member === undefined) {
        ctx.error(
          'unknown-slide-type',
          `${ctx.path([...path, key])} "${tag}" is not a ${noun}${didYouMean(tag, names)}; expected one of ${names.join(', ')}`,
          tagNode,
        );
        return INVALID;
      }
      return member.read(node, path, ctx) as Result<Out>;
    },
    toJson: () => ({
      type: 'object',
      required: [key],
      properties: { [key]: { enum: names } },
      allOf: names.map((name) => ({
        if: { properties: { [key]: { const: name } } },
        then: members[name]!.toJson(),
      })),
    }),
  };
  return schema;
}

/** A literal tag field inside a tagged member. */
export function literal<const V extends string>(value: V): Schema<V> {
  const schema: Schema<V> = {
    expected: `"${value}"`,
    accepts: (node) => isScalar(node) && node.value === value,
    read: (node, path, ctx) => (schema.accepts(node) ? value : mismatch(schema, node, path, ctx)),
    toJson: () => ({ const: value }),
  };
  return schema;
}

