// The json workload: parse an order (about 1 KB of JSON), price it, and serialize a summary.
// Money is in integer cents so that every runtime computes exactly the same answer.
const DISCOUNT_PERCENT = { gold: 10, silver: 5 };

export function handle(request) {
  let order;
  try {
    order = JSON.parse(request.body);
  } catch {
    return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'body must be JSON\n' };
  }
  const lines = order.items
    .map((item) => ({ sku: item.sku, qty: item.qty, lineCents: item.qty * item.priceCents }))
    .sort((a, b) => b.lineCents - a.lineCents || a.sku.localeCompare(b.sku));
  const subtotalCents = lines.reduce((sum, line) => sum + line.lineCents, 0);
  const discountCents = Math.floor((subtotalCents * (DISCOUNT_PERCENT[order.customer.tier] ?? 0)) / 100);
  const summary = {
    order: order.id,
    customer: order.customer.name.toUpperCase(),
    lines,
    itemCount: lines.reduce((sum, line) => sum + line.qty, 0),
    subtotalCents,
    discountCents,
    totalCents: subtotalCents - discountCents,
    tags: [...new Set(order.items.flatMap((item) => item.tags))].sort(),
  };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(summary)}\n` };
}
