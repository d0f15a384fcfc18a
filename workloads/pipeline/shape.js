// The pipeline's shape stage (JS): turns a checked order line into the JSON answer.
export function shape(checked) {
  const fields = {};
  for (const part of checked.split(';')) {
    const at = part.indexOf('=');
    fields[part.slice(0, at)] = part.slice(at + 1);
  }
  return JSON.stringify({
    sku: fields.sku,
    qty: Number(fields.qty),
    priceCents: Number(fields.price),
    totalCents: Number(fields.total),
    checksum: fields.sum,
    stages: ['front', 'check', 'shape'],
  });
}
