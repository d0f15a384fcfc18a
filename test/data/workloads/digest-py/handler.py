# digest-py (a test fixture): digest-c's twin in Python. POST answers the FNV-1a (32-bit) digest of
# the request body; /raise raises and /not-a-response returns a number (both: the adapters' 500);
# every other request echoes what it was sent. Proves that both Python adapters hand the handler
# the real method, path, query and body, and answer a failure alike.


def fnv1a(data):
    digest = 0x811C9DC5
    for byte in data:
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return digest


def handle(request):
    if request['path'] == '/raise':
        raise ValueError('this handler fails on purpose')
    if request['path'] == '/not-a-response':
        return 42
    body = request['body'].encode('utf-8')
    if request['method'] == 'POST':
        text = f'fnv1a {fnv1a(body):08x} {len(body)} bytes\n'
    else:
        text = f"{request['method']} {request['path']} {request['query']} {len(body)} bytes\n"
    return {'status': 200, 'headers': {'content-type': 'text/plain'}, 'body': text}
