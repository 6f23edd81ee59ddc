import { ResourceWriter } from '../../src/collect/resource-writer';
import type { Resource } from '../../src/core/types';

const resource = (id: string): Resource => ({ id, type: 'demo.box', provider: 'demo', account: '1', region: 'r1', source: { kind: 'runtime' }, properties: {} });

describe('ResourceWriter', () => {
  it('writes one resource at a time, in emit order, and counts them', async () => {
    const written: string[] = [];
    let writing = 0;
    let most = 0;
    const writer = new ResourceWriter({
      resource: async (r) => {
        most = Math.max(most, ++writing);
        // The first write is the slowest: a second writer would overtake it.
        await new Promise((done) => setTimeout(done, r.id === 'a' ? 20 : 1));
        written.push(r.id);
        writing--;
      },
    });
    const emitted = ['a', 'b', 'c'].map((id) => writer.emit(resource(id)));
    await writer.emit(resource('d'));
    expect(written).toEqual(['a', 'b', 'c', 'd']);
    await Promise.all(emitted);
    await writer.written();
    expect(most).toBe(1);
    expect(writer.count).toBe(4);
  });
});
