/* The check stage's one function, shared by its three wrappers (component, service, Node addon). */
#ifndef COLDBENCH_PIPELINE_CHECK_H
#define COLDBENCH_PIPELINE_CHECK_H
#include <stddef.h>

#define CHECK_OUT_MAX 512

/* 0: `out` holds the checked line; 1: `out` holds why the order was refused. */
int check_order(const char *in, size_t len, char *out, size_t *out_len);

#endif
