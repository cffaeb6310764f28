/**
 * Keras Hub's (formerly KerasNLP's) PositionEmbedding as a tfjs layer: a learned table
 * `embeddings` [sequence_length, D]; for an input [B, T, D] it returns the first T rows
 * broadcast to [B, T, D] — the position embeddings only, not added to the input (a model adds
 * them with an Add layer, as Keras Hub's own models do). Config: sequence_length, initializer.
 * Keras Hub's call option start_index is not supported (always 0).
 */
import * as tf from '@tensorflow/tfjs';
import { type Identifier, type Initializer, type LayerArgs, resolveInitializer, serialize } from './serial';

export interface PositionEmbeddingArgs extends LayerArgs {
  sequenceLength: number;
  initializer?: Identifier<Initializer>;
}

export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PositionEmbedding';
  readonly sequenceLength: number;
  private readonly initializer: Initializer;
  embeddings!: tf.LayerVariable;

  constructor(args: PositionEmbeddingArgs) {
    const { sequenceLength, initializer, ...base } = args;
    super(base);
    if (typeof sequenceLength !== 'number' || !Number.isInteger(sequenceLength) || sequenceLength < 1) {
      throw new Error(`PositionEmbedding "${this.name}": sequence_length must be a positive integer (got ${JSON.stringify(sequenceLength)})`);
    }
    this.sequenceLength = sequenceLength;
    this.initializer = resolveInitializer(initializer, 'glorotUniform', `PositionEmbedding "${this.name}"`);
  }

  private checkShape(shape: tf.Shape): void {
    if (shape.length < 2) throw new Error(`PositionEmbedding "${this.name}": input of rank ${shape.length}; expects [..., sequence, features]`);
    const t = shape[shape.length - 2];
    if (t != null && t > this.sequenceLength) {
      throw new Error(`PositionEmbedding "${this.name}": sequence of ${t} positions is longer than sequence_length ${this.sequenceLength}`);
    }
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.checkShape(shape);
    const d = shape[shape.length - 1];
    if (d == null) throw new Error(`PositionEmbedding "${this.name}": the feature size must be known`);
    this.embeddings = this.addWeight('embeddings', [this.sequenceLength, d], 'float32', this.initializer, undefined, true);
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.startIndex != null && kwargs.startIndex !== 0) {
      throw new Error(`PositionEmbedding "${this.name}": the call option start_index=${JSON.stringify(kwargs.startIndex)} is not supported`);
    }
    this.checkShape(x.shape);
    return tf.tidy(() => {
      const t = x.shape[x.rank - 2];
      const rows = this.embeddings.read().slice([0, 0], [t, -1]);
      return tf.broadcastTo(rows, x.shape);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: serialize(this.initializer) };
  }
}
