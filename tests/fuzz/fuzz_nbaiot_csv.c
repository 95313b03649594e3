/*
 * fuzz_nbaiot_csv.c - libFuzzer harness for the N-BaIoT CSV parser
 * (io/sources/nbaiot_csv.c): the first line goes to the header check; the rest is
 * parsed as a block of rows, once as given and once behind the real
 * 115-name header's line count (line numbers in messages), so the number
 * parser and the field/line bookkeeping see arbitrary bytes.  Any crash,
 * leak or sanitizer report is a finding; parse errors are expected.
 */
#include "baiot/nbaiot.h"
#include "io/sources/nbaiot_csv.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    size_t head = nl ? (size_t)(nl - text) : size;
    (void)baiot_nbaiot_csv_check_header(text, head, "fuzz.csv");
    csv_block blk;
    memset(&blk, 0, sizeof blk);
    (void)baiot_nbaiot_csv_parse_block(&blk, text, size, 1, "fuzz.csv");
    if (nl)
        (void)baiot_nbaiot_csv_parse_block(&blk, nl + 1, size - head - 1, 2, "fuzz.csv");
    baiot_csv_block_free(&blk);
    return 0;
}
