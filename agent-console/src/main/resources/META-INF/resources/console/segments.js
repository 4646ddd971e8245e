// SMS segment arithmetic, after 3GPP TS 23.038 (GSM 7-bit default alphabet and its extension table) and the
// usual concatenation headers: 160 septets in a single GSM-7 message, 153 per part; 70 UTF-16 code units in a single
// UCS-2 message, 67 per part. An escape pair or a surrogate pair is never split across parts.

const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';
const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

export const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** The cost of each unit of the text: septets for GSM-7, UTF-16 code units for UCS-2. */
function costs(text) {
  const chars = Array.from(text);
  if (chars.every((c) => basic.has(c) || extension.has(c))) {
    return { encoding: 'GSM-7', units: chars.map((c) => (extension.has(c) ? 2 : 1)) };
  }
  return { encoding: 'UCS-2', units: chars.map((c) => c.length) };
}

/** {encoding, length (septets or code units), segments, perSegment, remaining}. */
export function measure(text) {
  const { encoding, units } = costs(text);
  const limit = LIMITS[encoding];
  const length = units.reduce((sum, n) => sum + n, 0);
  if (length === 0) {
    return { encoding, length, segments: 0, perSegment: limit.single, remaining: limit.single };
  }
  if (length <= limit.single) {
    return { encoding, length, segments: 1, perSegment: limit.single, remaining: limit.single - length };
  }
  let segments = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > limit.part) {
      segments += 1;
      used = 0;
    }
    used += n;
  }
  return { encoding, length, segments, perSegment: limit.part, remaining: limit.part - used };
}
