// Bar charts drawn as SVG by hand: no chart library, nothing fetched from elsewhere. Bar lengths are
// computed from exact BigInt amounts; only the final pixel size is a number.

import { decimalToMinor, scaleOf } from './money.js';

const SVG = 'http://www.w3.org/2000/svg';
const LABEL_CHARACTERS = 34;

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

function magnitude(value) {
  return value < 0n ? -value : value;
}

/**
 * A horizontal bar chart. `bars` are {label, amount: a decimal string in `currency`, side: a word shown before
 * the amount ('Dr', 'Cr', 'revenue', …) that also picks the bar's colour}. The figures are the chart's
 * accessible name, as they read (the table beside it carries the same figures).
 */
export function barChart(title, bars, currency, format) {
  const scale = scaleOf(currency);
  const values = bars.map((bar) => magnitude(decimalToMinor(bar.amount, scale)));
  const largest = values.reduce((max, value) => (value > max ? value : max), 0n);
  const rowHeight = 26;
  const labelWidth = 240;
  const barWidth = 420;
  const width = labelWidth + barWidth + 190;
  const height = Math.max(bars.length, 1) * rowHeight + 10;
  const text = (bar) => `${bar.side ? `${bar.side} ` : ''}${format(bar.amount, currency)}`;
  const svg = node('svg', {
    class: 'chart', role: 'img', width, height, viewBox: `0 0 ${width} ${height}`,
    'aria-label': `${title}: ${bars.map((bar) => `${bar.label} ${text(bar)}`).join('; ') || 'no figures'}`,
  });
  svg.append(node('title', {}, title));
  bars.forEach((bar, index) => {
    const length = largest === 0n ? 0 : Number((values[index] * 10000n) / largest) / 10000 * barWidth;
    const y = 5 + index * rowHeight;
    const label = bar.label.length > LABEL_CHARACTERS ? `${bar.label.slice(0, LABEL_CHARACTERS - 1)}…` : bar.label;
    svg.append(node('text', { x: labelWidth - 8, y: y + 16, 'text-anchor': 'end' }, label));
    svg.append(node('rect', { class: `bar ${bar.kind || ''}`, x: labelWidth, y: y + 3, width: Math.max(length, 1), height: rowHeight - 8 }));
    svg.append(node('text', { x: labelWidth + Math.max(length, 1) + 6, y: y + 16 }, text(bar)));
  });
  svg.append(node('line', { class: 'axis', x1: labelWidth, x2: labelWidth, y1: 0, y2: height }));
  return svg;
}
