import { parseAbi } from 'viem';
import { STALENESS_GRACE } from './chains.mjs';
import { ChainError, failure } from './errors.mjs';
import { aggregate, call, decode, openReader } from './rpc.mjs';
import { checkAddress } from './validate.mjs';

export const aggregatorV3Abi = parseAbi([
  'function decimals() view returns (uint8)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function phaseAggregators(uint16 phaseId) view returns (address)',
  'function latestRound() view returns (uint256)',
]);
export const DEFAULT_MAX_DEVIATION = 0.25;     // 25 % between consecutive rounds
const FUTURE_TOLERANCE_SEC = 300;
const PHASE_SHIFT = 64n, AGG_MASK = (1n << 64n) - 1n;
export const phaseOf = (roundId) => BigInt(roundId) >> PHASE_SHIFT;
export const aggregatorRoundOf = (roundId) => BigInt(roundId) & AGG_MASK;
export const roundIdOf = (phase, aggRound) => (BigInt(phase) << PHASE_SHIFT) | BigInt(aggRound);

const toPrice = (answer, decimals) => Number(answer) / 10 ** decimals;   // display/engine number; answer kept as string too
const nowSeconds = () => Math.floor(Date.now() / 1000);

// The integrity checks on one round. Returns null when the round is usable, else a failure.
export function checkRound(round, { nowSec = nowSeconds(), heartbeatSec, source, asset } = {}) {
  const [roundId, answer, , updatedAt, answeredInRound] = Array.isArray(round) ? round
    : [round.roundId, round.answer, round.startedAt, round.updatedAt, round.answeredInRound].map((v) => (v === undefined ? 0n : BigInt(v)));
  const extra = { asset, roundId: roundId.toString() };
  if (updatedAt === 0n) return failure('feed-incomplete-round', 'The feed\'s latest round has no timestamp (round not complete).', source, extra);
  if (answeredInRound < roundId) return failure('feed-incomplete-round', `The answer was carried over from round ${answeredInRound} (answeredInRound < roundId).`, source, extra);
  if (answer <= 0n) return failure('feed-non-positive', `The feed reports a non-positive price (${answer}).`, source, extra);
  const ageSec = nowSec - Number(updatedAt);
  if (ageSec < -FUTURE_TOLERANCE_SEC) return failure('feed-bad-data', `The feed's timestamp is ${-ageSec} s in the future.`, source, { ...extra, ageSec });
  const limit = heartbeatSec * (1 + STALENESS_GRACE);
  if (heartbeatSec > 0 && ageSec > limit)
    return failure('feed-stale', `The price is ${formatAge(ageSec)} old; this feed updates at least every ${formatAge(heartbeatSec)}.`, source, { ...extra, ageSec, heartbeatSec });
  return null;
}

export function checkDeviation(price, previous, maxDeviation, { source, asset, against }) {
  if (!(previous > 0) || !(price > 0)) return null;
  const deviation = Math.abs(price / previous - 1);
  if (deviation > maxDeviation)
    return failure('feed-deviation', `The price moved ${(deviation * 100).toFixed(1)}% against ${against} (limit ${(maxDeviation * 100).toFixed(1)}%).`, source, { asset, deviation, against, previous, price });
  return null;
}

// On an L2, a price is only as good as the sequencer: while it is down (or just back, before
// the grace period has passed) feeds cannot update and may be stale without looking stale.
export function checkSequencer(res, { address, gracePeriodSec }, nowSec) {
  if (!res.ok) return failure('sequencer-unknown', `The L2 sequencer uptime feed could not be read (${res.message}); prices are not trusted.`, address, { asset: 'sequencer' });
  const [, answer, startedAt] = res.value;
  if (answer !== 0n) return failure('sequencer-down', 'The L2 sequencer is down: prices on this chain cannot be trusted.', address, { asset: 'sequencer' });
  const upFor = nowSec - Number(startedAt);
  if (startedAt === 0n || upFor < gracePeriodSec)
    return failure('sequencer-grace', `The L2 sequencer came back ${formatAge(Math.max(0, upFor))} ago; prices are trusted ${formatAge(gracePeriodSec)} after it is up.`, address, { asset: 'sequencer', upForSec: upFor, gracePeriodSec });
  return null;
}

function formatAge(s) {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

// Latest price of every feed in the config (or the `feeds` given), each checked for
// staleness, completeness, sign and deviation against the previous round and, when
// given, against `reference` prices (e.g. the last close of an imported CSV).
export async function readPrices({ provider, chainId, config, feeds, nowSec, maxDeviation = DEFAULT_MAX_DEVIATION, reference = {}, timeoutMs } = {}) {
  const reader = await openReader({ provider, chainId, config, timeoutMs });
  const now = nowSec ?? nowSeconds();
  const entries = Object.entries(feeds ?? reader.config.feeds).map(([asset, f]) => [asset, { ...f, address: checkAddress(f.address, `feeds.${asset}.address`) }]);
  const first = entries.flatMap(([, f]) => [call(aggregatorV3Abi, f.address, 'latestRoundData'), call(aggregatorV3Abi, f.address, 'decimals')]);
  const seq = reader.config.sequencerUptimeFeed;
  const seqCall = seq ? call(aggregatorV3Abi, seq.address, 'latestRoundData') : null;
  const r1 = await aggregate(reader, seqCall ? [...first, seqCall] : first);
  const out = { ok: true, chainId: reader.chainId, blockNumber: reader.blockNumber.toString(), nowSec: now, prices: [], failures: [], sequencer: null };
  if (seqCall) {
    const sequencerFailure = checkSequencer(decode(seqCall, r1[first.length], 'feed'), seq, now);
    out.sequencer = sequencerFailure ? { up: false, failure: sequencerFailure.code } : { up: true };
    if (sequencerFailure) out.failures.push(sequencerFailure);
  }
  const pending = [];
  entries.forEach(([asset, f], i) => {
    const latest = decode(first[2 * i], r1[2 * i], 'feed'), dec = decode(first[2 * i + 1], r1[2 * i + 1], 'feed');
    if (!latest.ok) return out.failures.push(failure(latest.code, `latestRoundData: ${latest.message}`, f.address, { asset }));
    if (!dec.ok) return out.failures.push(failure(dec.code, `decimals: ${dec.message}`, f.address, { asset }));
    if (f.decimals !== undefined && f.decimals !== dec.value)
      return out.failures.push(failure('feed-bad-data', `decimals() is ${dec.value}, the feed list says ${f.decimals}.`, f.address, { asset }));
    const bad = checkRound(latest.value, { nowSec: now, heartbeatSec: f.heartbeatSec, source: f.address, asset });
    if (bad) return out.failures.push(bad);
    const [roundId, answer, , updatedAt] = latest.value;
    const price = { asset, pair: f.pair ?? `${asset}/USD`, feed: f.address, price: toPrice(answer, dec.value), answer: answer.toString(),
      decimals: dec.value, roundId: roundId.toString(), updatedAt: Number(updatedAt), ageSec: now - Number(updatedAt), heartbeatSec: f.heartbeatSec, previous: null };
    pending.push({ price, f, roundId });
  });
  // Previous round (same phase) of every feed that passed, in one more batch.
  const prevCalls = pending.map(({ f, roundId }) => (aggregatorRoundOf(roundId) > 1n ? call(aggregatorV3Abi, f.address, 'getRoundData', [roundId - 1n]) : null));
  const live = prevCalls.filter(Boolean);
  const r2 = await aggregate(reader, live);
  let k = 0;
  for (let i = 0; i < pending.length; i++) {
    const { price, f } = pending[i];
    if (prevCalls[i]) {
      const prev = decode(prevCalls[i], r2[k++], 'feed');
      if (prev.ok && prev.value[3] > 0n && prev.value[1] > 0n) price.previous = toPrice(prev.value[1], price.decimals);
    }
    const dev = checkDeviation(price.price, price.previous, maxDeviation, { source: f.address, asset: price.asset, against: 'the previous round' })
      ?? (reference[price.asset] > 0 ? checkDeviation(price.price, reference[price.asset], maxDeviation, { source: f.address, asset: price.asset, against: 'the reference price' }) : null);
    if (dev) out.failures.push(dev); else out.prices.push(price);
  }
  out.ok = out.failures.length === 0;
  return out;
}

// Past rounds of one feed back to fromSec (plus the last round before it, so the first
// day has an as-of price). Walks aggregator rounds downwards within a phase, then, through
// the proxy's phaseAggregators, into earlier phases. Rounds that revert or have
// updatedAt == 0 are skipped and counted as missing.
export async function readPriceHistory({ provider, chainId, config, feed, fromSec, toSec, maxRounds = 2000, batchSize = 250, timeoutMs } = {}) {
  const address = checkAddress(typeof feed === 'string' ? feed : feed?.address, 'feed');
  if (!Number.isFinite(fromSec) || !Number.isFinite(toSec) || fromSec > toSec)
    throw new ChainError('invalid-window', 'The history window needs fromSec <= toSec (unix seconds).', { field: 'fromSec' });
  const reader = await openReader({ provider, chainId, config, timeoutMs });
  const head = [call(aggregatorV3Abi, address, 'latestRoundData'), call(aggregatorV3Abi, address, 'decimals')];
  const [l, d] = (await aggregate(reader, head)).map((r, i) => decode(head[i], r, 'feed'));
  if (!l.ok || !d.ok) throw new ChainError(l.ok ? d.code : l.code, `The feed could not be read: ${(l.ok ? d : l).message}`, { source: address });
  const decimals = d.value;
  const points = [];
  let missingRounds = 0, scanned = 0, reachedStart = false;
  let phase = phaseOf(l.value[0]), next = aggregatorRoundOf(l.value[0]);
  while (!reachedStart && scanned < maxRounds) {
    if (next < 1n) {                                    // this phase is exhausted: step into the previous one
      if (phase <= 1n) break;                           // phase 0: an aggregator read directly, plain round ids
      const prior = await previousPhaseLatest(reader, address, phase - 1n);
      if (prior === null) break;
      phase -= 1n; next = prior; continue;
    }
    const ids = [];
    for (let r = next; r >= 1n && ids.length < Math.min(batchSize, maxRounds - scanned); r--) ids.push(roundIdOf(phase, r));
    next -= BigInt(ids.length);
    scanned += ids.length;
    const calls = ids.map((id) => call(aggregatorV3Abi, address, 'getRoundData', [id]));
    const res = await aggregate(reader, calls);
    for (let i = 0; i < ids.length; i++) {
      const r = decode(calls[i], res[i], 'feed');
      if (!r.ok || r.value[3] === 0n || r.value[1] <= 0n) { missingRounds++; continue; }
      const updatedAt = Number(r.value[3]);
      if (updatedAt <= toSec) points.push({ roundId: ids[i].toString(), updatedAt, price: toPrice(r.value[1], decimals), answer: r.value[1].toString() });
      if (updatedAt < fromSec) { reachedStart = true; break; }
    }
  }
  points.sort((a, b) => a.updatedAt - b.updatedAt);
  // Incomplete only when the round limit stopped the walk; running out of rounds is the feed's start.
  const complete = reachedStart || scanned < maxRounds;
  return { feed: address, decimals, points, missingRounds, complete, scannedRounds: scanned };
}

async function previousPhaseLatest(reader, proxy, phase) {
  if (phase < 1n) return null;
  const c = call(aggregatorV3Abi, proxy, 'phaseAggregators', [Number(phase)]);
  const [r] = await aggregate(reader, [c]);
  const agg = decode(c, r, 'feed');
  if (!agg.ok || /^0x0{40}$/i.test(agg.value)) return null;
  const lr = call(aggregatorV3Abi, agg.value, 'latestRound');
  const [r2] = await aggregate(reader, [lr]);
  const latest = decode(lr, r2, 'feed');
  return latest.ok ? BigInt(latest.value) & AGG_MASK : null;
}

const DAY = 86400;
export const utcDay = (sec) => new Date(Math.floor(sec / DAY) * DAY * 1000).toISOString().slice(0, 10);

// Daily closes on UTC days: the close of day D is the latest round updated at or before
// the end of D (an as-of price, as a feed's consumers see it), provided that round is at
// most maxAgeSec old at the end of D; otherwise the day is null (missing, not invented).
export function dailyCloses(points, { fromSec, toSec, maxAgeSec = 2 * DAY } = {}) {
  const sorted = [...points].sort((a, b) => a.updatedAt - b.updatedAt);
  const dates = [], closes = [];
  let j = -1;
  for (let day = Math.floor(fromSec / DAY); day <= Math.floor(toSec / DAY); day++) {
    const end = (day + 1) * DAY - 1;
    while (j + 1 < sorted.length && sorted[j + 1].updatedAt <= end) j++;
    dates.push(utcDay(day * DAY));
    closes.push(j >= 0 && end - sorted[j].updatedAt <= maxAgeSec ? sorted[j].price : null);
  }
  return { dates, closes };
}

// { BTC: dailyCloses, ETH: dailyCloses } on the same window -> the engine's prices matrix.
export function historyMatrix(byAsset) {
  const assets = Object.keys(byAsset);
  if (assets.length === 0) return { dates: [], assets: [], prices: [] };
  const dates = byAsset[assets[0]].dates;
  for (const a of assets) if (byAsset[a].dates.join() !== dates.join())
    throw new ChainError('invalid-window', `The history of ${a} covers other days than ${assets[0]}.`, { field: a });
  return { dates, assets, prices: dates.map((_, t) => assets.map((a) => byAsset[a].closes[t])) };
}
