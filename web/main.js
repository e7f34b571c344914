// The minimal demo page until the full app lands: load the package, optimize the built-in
// simulated demo portfolio, show the result. Text goes in with textContent, never as HTML.
import { init } from '../bindings/js/index.js';
import { demoRequest } from '../bindings/js/demo.js';

const $ = (id) => document.getElementById(id);
// Rounds first so that a tiny negative (-0.00004) does not print as "-0.0%".
const percent = (x) => `${(Math.round(1000 * x) / 10 + 0).toFixed(1)}%`;

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function render(request, result) {
  $('metrics').textContent = `Expected return ${percent(result.expectedReturn)} a year, volatility ` +
    `${percent(result.volatility)}, Sharpe ${result.sharpe.toFixed(2)} (status: ${result.status}` +
    `${result.fallback ? `; ${result.fallback.reason}` : ''}).`;
  const rows = request.assets.map((asset, i) => {
    const tr = document.createElement('tr');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = `${Math.max(0, result.weights[i]) * 12}rem`;
    const barCell = cell('');
    barCell.append(bar);
    tr.append(cell(asset), cell(percent(result.weights[i])), cell(percent(result.riskContributionShares[i])), barCell);
    return tr;
  });
  $('weights').replaceChildren(...rows);
  $('summary').hidden = false;
}

async function main() {
  const status = $('status');
  try {
    const ballast = await init();
    const demo = demoRequest();
    $('note').textContent = demo.note;
    const request = { assets: demo.assets, prices: demo.prices, periodsPerYear: demo.periodsPerYear,
      objective: demo.objective, constraints: demo.constraints };
    const t0 = performance.now();
    const result = ballast.optimize(request);
    status.textContent = `Done in ${(performance.now() - t0).toFixed(1)} ms (engine ${ballast.version}).`;
    status.dataset.state = 'ready';
    render(request, result);
  } catch (error) {
    status.dataset.state = 'error';
    status.textContent = `Could not compute the demo: ${error.message}${error.field ? ` (field ${error.field})` : ''}`;
  }
}

main();
