// The native side's answers as a tape of 32-bit words (the Rust `to_tape` documents the layout),
// turned into plain objects in one walk. Strings of the delivery arrive as their UTF-16 range and
// are sliced from the body in hand; keys (and the model's own texts: event types, variant names)
// arrive once per process and are reused by id.

const NULL = 0, FALSE = 1, TRUE = 2, SMALL = 3, NUMBER = 4, SPAN = 5, SIDE = 6, ARRAY = 7;
const OBJECT = 8, END = 9, KEY = 10, NEW_KEY = 11;

// A BOM at the start of the body or of the side text is a character like any other here.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

/** A key string as property keys are stored (made once per key and process). */
function internalised(text) {
  return Object.keys({ [text]: 0 })[0];
}

/**
 * A reader of one native module's tapes: the key list it keeps lives as long as that module (its
 * Rust twin does too). `read(tape, text, bytes)`: `tape` a Uint32Array that starts with the tape
 * (it may run on past its end); `text` the body as a string when the caller gave one, else
 * `bytes` is decoded once, on the first string the tape takes from it.
 */
export function tapeReader() {
  const keys = [];
  return function read(tape, text, bytes) {
    const w = tape;
    const n = w[0];
    const sideBytes = w[n + 1];
    const side = sideBytes === 0 ? "" : decoder.decode(new Uint8Array(w.buffer, w.byteOffset + 4 * (n + 2), sideBytes));
    // A string with a lone surrogate was sent as UTF-8 with U+FFFD in its place: read those.
    const whole = typeof text === "string" && typeof text.isWellFormed === "function" && text.isWellFormed();
    let body = whole ? text : null;
    let at = 1;

    function str(tag) {
      const a = w[at];
      const b = w[at + 1];
      at += 2;
      if (tag === SIDE) return side.slice(a, b);
      if (body === null) body = decoder.decode(bytes);
      return body.slice(a, b);
    }

    function object() {
      const out = {};
      for (;;) {
        const k = w[at++];
        const tag = k & 15;
        if (tag === KEY) {
          out[keys[k >>> 4]] = value();
          continue;
        }
        if (tag === END) return out;
        if (tag !== NEW_KEY && tag !== SPAN && tag !== SIDE) throw unreadable(k);
        const key = tag === NEW_KEY ? (keys[k >>> 4] = internalised(str(SIDE))) : str(tag);
        const v = value();
        // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
        if (key === "__proto__") Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
        else out[key] = v;
      }
    }

    function array() {
      const out = [];
      while (w[at] !== END) out.push(value());
      at++;
      return out;
    }

    function value() {
      const x = w[at++];
      switch (x & 15) {
        case NULL:
          return null;
        case FALSE:
          return false;
        case TRUE:
          return true;
        case SMALL:
          return x >>> 4;
        case NUMBER:
          f64Words[0] = w[at];
          f64Words[1] = w[at + 1];
          at += 2;
          return f64[0];
        case SPAN:
        case SIDE:
          return str(x & 15);
        case KEY:
          return keys[x >>> 4];
        case NEW_KEY:
          return (keys[x >>> 4] = internalised(str(SIDE)));
        case ARRAY:
          return array();
        case OBJECT:
          return object();
      }
      throw unreadable(x);
    }

    return value();
  };
}

function unreadable(word) {
  return new Error(`wagroups: unreadable answer from the native side (word ${word})`);
}
