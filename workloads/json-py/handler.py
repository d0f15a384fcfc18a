# The json workload in Python: parse an order (about 1 KB of JSON), price it, and serialize a
# summary, answer for answer the same as `json`. Money is in integer cents so that every runtime
# computes exactly the same answer; the output is compact, keys in insertion order (as JSON.stringify).
import json

DISCOUNT_PERCENT = {'gold': 10, 'silver': 5}


def handle(request):
    try:
        order = json.loads(request['body'])
    except ValueError:
        return {'status': 400, 'headers': {'content-type': 'text/plain'}, 'body': 'body must be JSON\n'}
    lines = [{'sku': item['sku'], 'qty': item['qty'], 'lineCents': item['qty'] * item['priceCents']} for item in order['items']]
    # By value, then SKU (JS compares SKUs with localeCompare: the same order for these ASCII SKUs).
    lines.sort(key=lambda line: (-line['lineCents'], line['sku']))
    subtotal = sum(line['lineCents'] for line in lines)
    discount = subtotal * DISCOUNT_PERCENT.get(order['customer']['tier'], 0) // 100
    summary = {
        'order': order['id'],
        'customer': order['customer']['name'].upper(),
        'lines': lines,
        'itemCount': sum(line['qty'] for line in lines),
        'subtotalCents': subtotal,
        'discountCents': discount,
        'totalCents': subtotal - discount,
        'tags': sorted({tag for item in order['items'] for tag in item['tags']}),
    }
    body = json.dumps(summary, separators=(',', ':'), ensure_ascii=False)
    return {'status': 200, 'headers': {'content-type': 'application/json'}, 'body': f'{body}\n'}
