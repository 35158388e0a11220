/*
 * Shared libraries opened on first use (see dynlib.h). A process opens
 * few of them, so they are kept in a short list under one lock; dlopen
 * itself is thread-safe, the lock only keeps one handle per soname.
 */
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "tandem/error.h"

#define MAX_LIBS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const char *soname;
	void *h;
} libs[MAX_LIBS];

void *td_dynlib_open(const char *soname, const char *what, const char *package)
{
	void *h = NULL;
	const char *why;
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_LIBS && libs[i].soname; i++) {
		if (strcmp(libs[i].soname, soname) == 0) {
			h = libs[i].h;
			break;
		}
	}
	if (!h) {
		h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
		if (h && i < MAX_LIBS) {
			libs[i].soname = soname;
			libs[i].h = h;
		}
	}
	pthread_mutex_unlock(&lock);
	if (!h) {
		why = dlerror();
		td_error_set(TD_ENOTFOUND, "%s need the library %s (Debian package %s), which cannot be loaded: %s",
			what, soname, package, why ? why : "not found");
	}
	return h;
}

int td_dynlib_fn(void *h, const char *soname, const char *name, void *fn, size_t size)
{
	void *p = dlsym(h, name);

	if (!p || size != sizeof(p))
		return td_error_set(TD_ENOTFOUND, "%s has no function %s (an older version than tandem was built for)",
			soname, name);
	/* POSIX lets a dlsym result be used as a function pointer of the same size. */
	memcpy(fn, &p, size);
	return 0;
}
