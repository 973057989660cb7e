// The speaker view, loaded on demand: reveal.js's notes plugin (68 KB, most of it the speaker
// window and a Markdown parser) is needed only when the presenter opens the speaker view, yet it
// was in every deck, parsed on every load and in every PDF's print view. The deck now carries it
// compressed (about 26 KB) behind a small stand-in with the plugin's id, its S key and its
// reconnection to a speaker window left open across a reload; the first of those unpacks and
// runs the real plugin, which the deck's policy allows by hash.

import { deflateRawSync } from 'node:zlib';

/** The stand-in, as the text of an inline script; `packed` is the plugin, deflated, in base64. */
function standIn(packed: string): string {
  return `window.RevealNotes = (() => {
  const packed = ${JSON.stringify(packed)};
  let deck;
  let plugin;
  const load = () => (plugin ??= (async () => {
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const code = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text();
    const script = document.createElement('script');
    script.textContent = code;
    document.head.append(script);
    const real = window.RevealNotes();
    real.init(deck);
    return real;
  })().catch((error) => {
    plugin = undefined;
    alert('The speaker view could not be opened in this browser: ' + error.message);
    throw error;
  }));
  return () => ({
    id: 'notes',
    init(reveal) {
      deck = reveal;
      if (/receiver/i.test(location.search)) return;
      if (/(\\?|&)notes/i.test(location.search)) return void load().catch(() => undefined);
      const reconnect = (event) => {
        if (typeof event.data !== 'string' || !event.data.includes('"heartbeat"')) return;
        removeEventListener('message', reconnect);
        void load().catch(() => undefined);
      };
      addEventListener('message', reconnect);
      reveal.addKeyBinding({ keyCode: 83, key: 'S', description: 'Speaker notes view' }, () => void load().then((real) => real.open(), () => undefined));
    },
  });
})();`;
}

/** The script that stands in for the notes plugin until the speaker view is first opened. */
export function speakerNotesScript(notesJs: string): string {
  return standIn(deflateRawSync(notesJs, { level: 9 }).toString('base64'));
}
