// Exact integer -> decimal string and a display number. Raw amounts stay exact strings.
export function formatUnitsExact(raw, decimals) {
  const neg = raw < 0n, v = neg ? -raw : raw;
  const s = v.toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals), frac = s.slice(s.length - decimals).replace(/0+$/, '');
  return (neg ? '-' : '') + int + (frac ? '.' + frac : '');
}
export const toNumber = (raw, decimals) => Number(formatUnitsExact(raw, decimals));
