/*
 * store_layout.c - HDF5 types and settings shared by the store's writer and
 * reader.  Covered by tests/cli/test_store_client.py and
 * tests/cli/test_store_versions.py.
 */
#include "io/store/store_layout.h"

#include <stddef.h>

const char *const baiot_store_label_names[3] = {"device", "family", "attack"};

/* HDF5 closes whatever is still open at exit.  After a failed write (disk
 * full, file size limit) a file it could not close stays in its tables and
 * that exit-time close crashes inside libhdf5 1.10.  Every store is closed
 * explicitly here (or its temporary file removed), so the exit-time
 * cleanup is turned off, before main runs and before any HDF5 call. */
__attribute__((constructor)) static void store_no_hdf5_atexit(void)
{
    H5dont_atexit();
}

hid_t baiot_store_source_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(baiot_source_info));
    hid_t name_t = H5Tcopy(H5T_C_S1);
    hid_t sha_t = H5Tcopy(H5T_C_S1);
    H5Tset_size(name_t, BAIOT_SOURCE_NAME_MAX);
    H5Tset_strpad(name_t, H5T_STR_NULLTERM);
    H5Tset_size(sha_t, 65);
    H5Tset_strpad(sha_t, H5T_STR_NULLTERM);
    H5Tinsert(t, "name", offsetof(baiot_source_info, name), name_t);
    H5Tinsert(t, "device", offsetof(baiot_source_info, device), H5T_NATIVE_UINT8);
    H5Tinsert(t, "family", offsetof(baiot_source_info, family), H5T_NATIVE_UINT8);
    H5Tinsert(t, "attack", offsetof(baiot_source_info, attack), H5T_NATIVE_UINT8);
    H5Tinsert(t, "first_row", offsetof(baiot_source_info, first_row), H5T_NATIVE_INT64);
    H5Tinsert(t, "rows", offsetof(baiot_source_info, rows), H5T_NATIVE_INT64);
    H5Tinsert(t, "sha256", offsetof(baiot_source_info, sha256), sha_t);
    H5Tclose(name_t);
    H5Tclose(sha_t);
    return t;
}

void baiot_store_quiet_hdf5(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

int baiot_store_read_crc(hid_t d, uint32_t *crc)
{
    if (H5Aexists(d, STORE_ATTR_CRC) <= 0)
        return 0;
    hid_t a = H5Aopen(d, STORE_ATTR_CRC, H5P_DEFAULT);
    int ok = a >= 0 && H5Aread(a, H5T_NATIVE_UINT32, crc) >= 0;
    if (a >= 0)
        H5Aclose(a);
    return ok;
}

int baiot_store_write_crc(hid_t d, uint32_t crc)
{
    if (H5Aexists(d, STORE_ATTR_CRC) > 0 && H5Adelete(d, STORE_ATTR_CRC) < 0)
        return 0;
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(d, STORE_ATTR_CRC, H5T_STD_U32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_UINT32, &crc) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return ok;
}
