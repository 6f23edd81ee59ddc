import type { CollectSink } from '../core/provider-plugin';
import type { Resource } from '../core/types';

/**
 * Hands a collector's resources to its sink one at a time, in emit order, and counts them: many
 * readers finish at once, and a streaming sink must see its backpressure honoured by a single
 * writer. `emit` resolves when its resource is written.
 */
export class ResourceWriter {
  count = 0;
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly sink: Pick<CollectSink, 'resource'>) {}

  readonly emit = (r: Resource): Promise<void> => {
    this.count++;
    this.last = this.last.then(() => this.sink.resource(r));
    return this.last;
  };

  /** Resolves when every resource emitted so far is written. */
  written(): Promise<void> {
    return this.last;
  }
}
