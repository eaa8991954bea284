/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine smoke test
 * only (.ci/windows-smoke installs it in a throwaway Wine prefix).
 *
 * Every .exe built by Rust >= 1.78 imports ProcessPrng from
 * bcryptprimitives.dll at start-up (std's random keys). Wine 8.0, as
 * Debian 12 ships it, has no such DLL: the .exe then stops before main
 * with status 53. This stub exports ProcessPrng and fills the buffer from
 * the OS generator through RtlGenRandom (advapi32's SystemFunction036),
 * which Wine has. Real Windows (10 and later) has the real DLL: nothing
 * here is shipped.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *        bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
