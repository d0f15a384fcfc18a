# The hello workload in Python: the smallest possible answer, so that cold start is all that is measured.
# A handler takes {method, path, query, headers, body} and returns {status, headers, body}.
def handle(request):
    return {
        'status': 200,
        'headers': {'content-type': 'text/plain; charset=utf-8'},
        'body': 'hello from coldbench\n',
    }
