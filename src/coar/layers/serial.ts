/**
 * Initializers, regularizers and constraints given to the transformer layers as tfjs objects,
 * identifiers ('glorotUniform', 'glorot_uniform', 'l1l2') or serialized {className, config}
 * dicts (what tfjs hands a layer's fromConfig after camel-casing a Keras config), resolved
 * through tfjs's own class registry; and written back in the form getConfig() returns.
 */
import * as tf from '@tensorflow/tfjs';

export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
export type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;
export type Constraint = ReturnType<typeof tf.constraints.maxNorm>;
export type Identifier<T> = T | string | tf.serialization.ConfigDict | null | undefined;
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

type Registered = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, tf.serialization.FromConfigMethod<tf.serialization.Serializable>];

/** The registered class whose name matches `name` ignoring case and underscores ('glorot_uniform', 'glorotUniform' → GlorotUniform). */
function findClass(name: string, kind: string, layer: string): Registered {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, Registered>;
  if (name in map) return map[name];
  const key = (s: string) => s.replace(/_/g, '').toLowerCase();
  const aliases: Record<string, string> = { l1: 'L1L2', l2: 'L1L2' };
  const wanted = aliases[key(name)] ?? name;
  const found = Object.keys(map).find((k) => key(k) === key(wanted));
  if (!found) throw new Error(`${layer}: unknown ${kind} "${name}"`);
  return map[found];
}

function resolve<T extends tf.serialization.Serializable>(value: Identifier<T>, kind: string, layer: string): T | null {
  if (value == null) return null;
  if (value instanceof tf.serialization.Serializable) return value as T;
  if (typeof value === 'string') {
    const [cls, fromConfig] = findClass(value, kind, layer);
    // tfjs's string shorthands l1/l2 mean the default-strength single-norm regularizer.
    const lower = value.replace(/_/g, '').toLowerCase();
    const config: tf.serialization.ConfigDict = lower === 'l1' ? { l1: 0.01, l2: 0 } : lower === 'l2' ? { l1: 0, l2: 0.01 } : {};
    return fromConfig(cls, config) as T;
  }
  const dict = value as { className?: unknown; config?: unknown };
  if (typeof dict.className !== 'string') throw new Error(`${layer}: ${kind} ${JSON.stringify(value).slice(0, 80)} has no className`);
  const [cls, fromConfig] = findClass(dict.className, kind, layer);
  return fromConfig(cls, (dict.config ?? {}) as tf.serialization.ConfigDict) as T;
}

export const resolveInitializer = (v: Identifier<Initializer>, fallback: string, layer: string): Initializer =>
  resolve<Initializer>(v ?? fallback, 'initializer', layer)!;
export const resolveRegularizer = (v: Identifier<Regularizer>, layer: string): Regularizer | null => resolve<Regularizer>(v, 'regularizer', layer);
export const resolveConstraint = (v: Identifier<Constraint>, layer: string): Constraint | null => resolve<Constraint>(v, 'constraint', layer);

/** {className, config}, the form tfjs's own layers write (null stays null; an unset field such as a seed is written null, as it reads back from JSON). */
export function serialize(obj: tf.serialization.Serializable | null): tf.serialization.ConfigDict | null {
  if (obj == null) return null;
  const config: tf.serialization.ConfigDict = {};
  for (const [k, v] of Object.entries(obj.getConfig())) config[k] = v === undefined ? null : v;
  return { className: obj.getClassName(), config };
}

/** A shape as Keras writes it (an int, a list, or null) → a list of dims, or null. */
export function shapeList(v: unknown): (number | null)[] | null {
  if (v == null) return null;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((d) => d === null || typeof d === 'number')) return v as (number | null)[];
  return null;
}
