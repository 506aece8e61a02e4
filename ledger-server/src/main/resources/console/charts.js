// Bar charts drawn as SVG by hand: no chart library, nothing fetched from elsewhere. Bar lengths are
// computed from exact BigInt amounts; only the final pixel size is a number.

import { decimalToMinor, scaleOf } from './money.js';

const SVG = 'http://www.w3.org/2000/svg';

function node(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/**
 * A horizontal bar chart of `bars` ({label, amount: decimal string}) in `currency`, with a text summary as
 * its accessible name (the table beside it carries the same figures).
 */
export function barChart(title, bars, currency, format) {
  const scale = scaleOf(currency);
  const values = bars.map((bar) => decimalToMinor(bar.amount, scale));
  const largest = values.reduce((max, value) => (value < 0n ? -value : value) > max ? (value < 0n ? -value : value) : max, 0n);
  const rowHeight = 26;
  const labelWidth = 220;
  const barWidth = 420;
  const height = Math.max(bars.length, 1) * rowHeight + 10;
  const svg = node('svg', {
    class: 'chart', role: 'img', width: labelWidth + barWidth + 150, height,
    viewBox: `0 0 ${labelWidth + barWidth + 150} ${height}`,
    'aria-label': `${title}: ${bars.map((bar) => `${bar.label} ${format(bar.amount, currency)}`).join('; ') || 'no figures'}`,
  });
  svg.append(node('title', {}, title));
  bars.forEach((bar, index) => {
    const value = values[index];
    const magnitude = value < 0n ? -value : value;
    const width = largest === 0n ? 0 : Number((magnitude * 10000n) / largest) / 10000 * barWidth;
    const y = 5 + index * rowHeight;
    svg.append(node('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end' }, bar.label));
    svg.append(node('rect', { class: `bar${value < 0n ? ' negative' : ''}`, x: labelWidth, y: y + 3, width: Math.max(width, 1), height: rowHeight - 8 }));
    svg.append(node('text', { x: labelWidth + Math.max(width, 1) + 6, y: y + 16 }, format(bar.amount, currency)));
  });
  svg.append(node('line', { class: 'axis', x1: labelWidth, x2: labelWidth, y1: 0, y2: height }));
  return svg;
}
