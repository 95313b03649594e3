/*
 * cli_args.c - the one parser for the numbers `baiot` options take: whole
 * numbers (int, int64, uint64) and finite doubles, each range-checked.
 *
 * Guarantees: a value is taken only when the whole string is one number in
 * base 10 (doubles: what strtod reads, finite) inside the caller's bounds.
 * Refused, with a usage error naming the command, the option and the value
 * ("baiot j48: -M: '99999999999999999999' is out of range (0 .. 2147483647)")
 * and EXIT_USAGE returned: an empty value, leading blanks, trailing junk,
 * overflow (ERANGE: never clamped to INT64_MAX or HUGE_VAL), a minus sign on
 * an unsigned value, NaN or infinity, a value outside the bounds.  On refusal
 * *out is left as it was.  Strings strtol/strtod took before and that lie in
 * range parse to the same value as before (a leading '+' included).
 *
 * Covered by tests/cli/test_cli_numbers.py (every numeric option of every
 * command, with bad and good values).
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* 1 when arg cannot even start a number strtol/strtod would read in full:
 * empty, or a leading blank (strto* would skip it silently). */
static int blank_start(const char *arg)
{
    return !*arg || isspace((unsigned char)*arg);
}

int cli_arg_int64(const char *cmd, const char *opt, const char *arg, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;
    if (blank_start(arg))
        goto not_number;
    errno = 0;
    v = strtoll(arg, &end, 10);
    if (*end)
        goto not_number;
    if (errno == ERANGE || v < min || v > max)
        return cli_usage_error(cmd, "%s: '%s' is out of range (%lld .. %lld)", opt, arg, (long long)min,
                               (long long)max);
    *out = (int64_t)v;
    return 0;
not_number:
    return cli_usage_error(cmd, "%s: '%s' is not a whole number (%lld .. %lld)", opt, arg, (long long)min,
                           (long long)max);
}

int cli_arg_int(const char *cmd, const char *opt, const char *arg, int min, int max, int *out)
{
    int64_t v;
    int r = cli_arg_int64(cmd, opt, arg, min, max, &v);
    if (r == 0)
        *out = (int)v;
    return r;
}

int cli_arg_uint64(const char *cmd, const char *opt, const char *arg, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (blank_start(arg))
        goto not_number;
    errno = 0;
    v = strtoull(arg, &end, 10);
    if (*end)
        goto not_number;
    if (errno == ERANGE || arg[0] == '-' || v > UINT64_MAX)
        return cli_usage_error(cmd, "%s: '%s' is out of range (0 .. %llu)", opt, arg, (unsigned long long)UINT64_MAX);
    *out = (uint64_t)v;
    return 0;
not_number:
    return cli_usage_error(cmd, "%s: '%s' is not a whole number (0 .. %llu)", opt, arg,
                           (unsigned long long)UINT64_MAX);
}

int cli_arg_size(const char *cmd, const char *opt, const char *arg, int64_t *out)
{
    char *end;
    if (blank_start(arg) || arg[0] == '-')
        goto bad;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || errno == ERANGE)
        goto bad;
    double scale = 1;
    switch (*end) {
    case 'K': case 'k': scale = 1024.0; end++; break;
    case 'M': case 'm': scale = 1024.0 * 1024; end++; break;
    case 'G': case 'g': scale = 1024.0 * 1024 * 1024; end++; break;
    case 'T': case 't': scale = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || !(v >= 0) || v * scale > 9.0e18)
        goto bad;
    *out = (int64_t)(v * scale);
    return 0;
bad:
    return cli_usage_error(cmd, "%s: '%s' is not a size (bytes, or a number with K, M, G or T: 512M, 15.5G; 0: no "
                                "limit)", opt, arg);
}

/* Writes the accepted range of cli_arg_double into buf, in words:
 * "any finite number", "> 0", ">= 0 and <= 1". */
static void describe_range(char *buf, size_t size, double min, double max, int open)
{
    int has_min = min > -HUGE_VAL, has_max = max < HUGE_VAL;
    const char *lo = open & CLI_ARG_ABOVE_MIN ? ">" : ">=", *hi = open & CLI_ARG_BELOW_MAX ? "<" : "<=";
    if (has_min && has_max)
        snprintf(buf, size, "%s %g and %s %g", lo, min, hi, max);
    else if (has_min)
        snprintf(buf, size, "%s %g", lo, min);
    else if (has_max)
        snprintf(buf, size, "%s %g", hi, max);
    else
        snprintf(buf, size, "any finite number");
}

int cli_arg_double(const char *cmd, const char *opt, const char *arg, double min, double max, int open, double *out)
{
    char *end, range[96];
    double v;
    describe_range(range, sizeof range, min, max, open);
    if (blank_start(arg))
        goto not_number;
    errno = 0;
    v = strtod(arg, &end);
    if (*end)
        goto not_number;
    if (isnan(v) || (isinf(v) && errno != ERANGE))
        return cli_usage_error(cmd, "%s: '%s' is not a finite number (%s)", opt, arg, range);
    /* ERANGE on underflow leaves a tiny or zero value, which the bounds judge
     * as before; on overflow v is +-HUGE_VAL and refused here. */
    if (isinf(v) || (open & CLI_ARG_ABOVE_MIN ? !(v > min) : !(v >= min)) ||
        (open & CLI_ARG_BELOW_MAX ? !(v < max) : !(v <= max)))
        return cli_usage_error(cmd, "%s: '%s' is out of range (%s)", opt, arg, range);
    *out = v;
    return 0;
not_number:
    return cli_usage_error(cmd, "%s: '%s' is not a number (%s)", opt, arg, range);
}
