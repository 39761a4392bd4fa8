/* src/lazylib.c: libraries opened at first use (see lazylib.h). */
#include <dlfcn.h>
#include <pthread.h>

#include "src/lazylib.h"
#include "src/log.h"

static pthread_mutex_t lazylib_lock = PTHREAD_MUTEX_INITIALIZER;

int
lazylib_load(struct lazylib *l)
{
	void *h;
	size_t i;
	int state;

	pthread_mutex_lock(&lazylib_lock);
	if (l->state == 0) {
		l->state = -1;
		/* RTLD_LOCAL: its symbols stay out of the global scope;
		 * RTLD_NOW: a missing function shows here, not later. */
		if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL)
			log_warn("cannot load %s, needed for %s: %s",
			    l->soname, l->what, dlerror());
		else {
			for (i = 0; i < l->n; i++)
				if ((l->fn[i] = dlsym(h, l->names[i])) == NULL)
					break;
			if (i == l->n)
				l->state = 1;
			else
				log_warn("%s has no %s (needed for %s)",
				    l->soname, l->names[i], l->what);
		}
	}
	state = l->state;
	pthread_mutex_unlock(&lazylib_lock);
	return state == 1 ? 0 : -1;
}

int
lazylib_loaded(const struct lazylib *l)
{
	int state;

	pthread_mutex_lock(&lazylib_lock);
	state = l->state;
	pthread_mutex_unlock(&lazylib_lock);
	return state == 1;
}
