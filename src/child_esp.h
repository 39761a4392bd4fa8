/*
 * src/child_esp.h: the glue between a negotiated Child SA (ike/) and the
 * two ESP engines that carry it (esp/), neither of which knows the other.
 */
#ifndef IR_SRC_CHILD_ESP_H
#define IR_SRC_CHILD_ESP_H

#include "esp/esp.h"
#include "ike/ike.h"

/*
 * Fill the inbound and outbound ESP SA configurations of |ch|: SPIs,
 * transforms, ESN and the keys of each direction.  The keys are borrowed
 * from |ch|: call esp_sa_new() (which copies them) before |ch| goes.
 * |random| feeds the outbound SA's CBC IVs.  Lifetimes are left at 0.
 */
void	child_esp_confs(const struct ike_child *ch, esp_random_fn random,
	    struct esp_sa_conf *in, struct esp_sa_conf *out);

#endif
