// HMAC-SHA256 by Node's OpenSSL for the signature checks of the Node entries (synchronous, so
// the core can take the MACs in the same call). `crypto()` gives node:crypto: it is loaded by the
// first check only. The secret of the last check is kept as a KeyObject, which saves converting
// the string on every check (a tenth of an HMAC of a 1.3 KB body).
export function nodeHmacSha256(crypto) {
  let lib = null;
  let lastSecret = null;
  let lastKey = null;
  return (secret, data) => {
    lib ??= crypto();
    if (secret !== lastSecret) {
      lastKey = lib.createSecretKey(Buffer.from(secret, "utf8"));
      lastSecret = secret;
    }
    return lib.createHmac("sha256", lastKey).update(data).digest();
  };
}
