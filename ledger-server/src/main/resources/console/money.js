// Money in the console: strings in, strings out. Amounts are never turned into floating point numbers:
// minor units go through BigInt, decimals keep the digits the server sent.

const scales = new Map();

/** Remembers the currency registry (`GET /v1/currencies`). */
export function setCurrencies(list) {
  scales.clear();
  for (const currency of list || []) {
    scales.set(currency.code, currency.scale);
  }
}

export function knows(code) {
  return scales.has(code);
}

/** The currency's scale; for a code the registry lacks, 0 (callers show such amounts as minor units). */
export function scaleOf(code) {
  return scales.has(code) ? scales.get(code) : 0;
}

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "123456" minor units of USD → "1,234.56 USD". A currency the registry does not know is not guessed at:
 * its amount is shown as minor units and says so.
 */
export function minor(amount, code) {
  if (amount === null || amount === undefined || amount === '') {
    return '—';
  }
  if (!/^-?\d+$/.test(String(amount))) {
    return `${amount} (not minor units?)`;
  }
  if (!scales.has(code)) {
    return `${amount} minor units${code ? ` of ${code}` : ''}`;
  }
  let value = BigInt(amount);
  const negative = value < 0n;
  if (negative) {
    value = -value;
  }
  const scale = scaleOf(code);
  const digits = value.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '−' : ''}${group(whole)}${fraction}${code ? ` ${code}` : ''}`;
}

/** "1234.50" (already at the currency's scale) → "1,234.50 USD". */
export function decimal(amount, code) {
  if (amount === null || amount === undefined || amount === '') {
    return '—';
  }
  const text = String(amount);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '−' : ''}${group(whole)}${fraction !== undefined ? `.${fraction}` : ''}${code ? ` ${code}` : ''}`;
}

/** Whether a decimal string ("0", "0.00") is zero. */
export function isZero(amount) {
  return /^-?0(\.0+)?$/.test(String(amount));
}

/** A decimal string as an exact BigInt of its smallest digit at `scale` (for charts and sums). */
export function decimalToMinor(amount, scale) {
  const text = String(amount);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return negative ? -value : value;
}
