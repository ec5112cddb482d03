// The native side's answers as a tape of 32-bit words (the Rust `to_tape` documents the layout),
// turned into plain objects in one walk. Strings of the delivery arrive as their UTF-16 range and
// are sliced from the body in hand (a member kept as sent comes as its JSON text, for JSON.parse);
// keys (and the model's own texts: event types, variant names) arrive once per process and are
// reused by id.

const NULL = 0, FALSE = 1, TRUE = 2, SMALL = 3, NUMBER = 4, SPAN = 5, SIDE = 6, ARRAY = 7;
const OBJECT = 8, END = 9, KEY = 10, NEW_KEY = 11, JSON_TEXT = 12;

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
  // One loop with its state in locals, not a function per kind calling itself: the position
  // then lives in a register, not in a closure's context (the read measured 7-9 % faster).
  return function read(w, text, bytes) {
    const n = w[0];
    const sideBytes = w[n + 1];
    const side = sideBytes === 0 ? "" : decoder.decode(new Uint8Array(w.buffer, w.byteOffset + 4 * (n + 2), sideBytes));
    // A string with a lone surrogate was sent as UTF-8 with U+FFFD in its place: read those.
    const whole = typeof text === "string" && typeof text.isWellFormed === "function" && text.isWellFormed();
    let body = whole ? text : null;
    let at = 1;
    // The container being filled (null before the first value), whether it is an array, the key
    // its next member goes under; the enclosing ones, three slots each.
    let top = null;
    let isArray = false;
    let key = "";
    const stack = [];
    for (;;) {
      let v;
      let closed = false;
      if (top !== null) {
        if (isArray) {
          if (w[at] === END) {
            at++;
            closed = true;
          }
        } else {
          const k = w[at++];
          const tag = k & 15;
          if (tag === KEY) key = keys[k >>> 4];
          else if (tag === END) closed = true;
          else if (tag === NEW_KEY) {
            key = keys[k >>> 4] = internalised(side.slice(w[at], w[at + 1]));
            at += 2;
          } else if (tag === SIDE) {
            key = side.slice(w[at], w[at + 1]);
            at += 2;
          } else if (tag === SPAN) {
            if (body === null) body = decoder.decode(bytes);
            key = body.slice(w[at], w[at + 1]);
            at += 2;
          } else throw unreadable(k);
        }
      }
      if (closed) {
        v = top;
        key = stack.pop();
        isArray = stack.pop();
        top = stack.pop();
      } else {
        const x = w[at++];
        switch (x & 15) {
          case NULL:
            v = null;
            break;
          case FALSE:
            v = false;
            break;
          case TRUE:
            v = true;
            break;
          case SMALL:
            v = x >>> 4;
            break;
          case NUMBER:
            f64Words[0] = w[at];
            f64Words[1] = w[at + 1];
            at += 2;
            v = f64[0];
            break;
          case SPAN:
            if (body === null) body = decoder.decode(bytes);
            v = body.slice(w[at], w[at + 1]);
            at += 2;
            break;
          case SIDE:
            v = side.slice(w[at], w[at + 1]);
            at += 2;
            break;
          case JSON_TEXT:
            // A member kept as sent: its text, in the body or the side text.
            if (x >>> 4 === 0) {
              if (body === null) body = decoder.decode(bytes);
              v = JSON.parse(body.slice(w[at], w[at + 1]));
            } else v = JSON.parse(side.slice(w[at], w[at + 1]));
            at += 2;
            break;
          case KEY:
            v = keys[x >>> 4];
            break;
          case NEW_KEY:
            v = keys[x >>> 4] = internalised(side.slice(w[at], w[at + 1]));
            at += 2;
            break;
          case ARRAY:
            stack.push(top, isArray, key);
            top = [];
            isArray = true;
            continue;
          case OBJECT:
            stack.push(top, isArray, key);
            top = {};
            isArray = false;
            continue;
          default:
            throw unreadable(x);
        }
      }
      if (top === null) return v;
      if (isArray) top.push(v);
      // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
      else if (key === "__proto__") Object.defineProperty(top, key, { value: v, writable: true, enumerable: true, configurable: true });
      else top[key] = v;
    }
  };
}
function unreadable(word) {
  return new Error(`wagroups: unreadable answer from the native side (word ${word})`);
}
