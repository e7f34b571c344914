// Strings read from chain are attacker-controlled. We return plain text only: control
// characters (C0, C1), bidi overrides/isolates, zero-width and BOM characters are removed,
// whitespace runs collapsed, length capped. The DOM escapes it when set with textContent.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

export function safeText(value, maxLength = 64) {
  if (typeof value !== 'string') return '';
  let s = value.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(s);                 // cut on code points, never inside a surrogate pair
  if (chars.length > maxLength) s = chars.slice(0, maxLength - 1).join('') + '…';
  return s;
}
