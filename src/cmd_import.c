/*
 * src/cmd_import.c: `ikeroam import FILE|https://URL [options]`.
 *
 * Reads a strongSwan .sswan profile, an Apple .mobileconfig (signed or
 * not) or an ikeroam profile, and writes DIR/NAME.json with the files it
 * names beside it: NAME.ca.pem, NAME.cert.pem, NAME.key.pem (0600),
 * NAME.psk and NAME.password (0600).  DIR is --dir, else
 * $IKEROAM_CONFDIR, else /etc/ikeroam.  Nothing is written unless the
 * whole import succeeds, and nothing is replaced without --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_import.h"
#include "src/commands.h"
#include "src/exitcode.h"
#include "src/import.h"
#include "src/import_fetch.h"
#include "src/log.h"
#include "src/safefile.h"
#include "src/secret.h"

#define DEFAULT_CONFDIR	"/etc/ikeroam"
#define SYSTEM_CA_DIR	"/etc/ssl/certs"
#define PASS_MAX	256

struct import_args {
	const char	*source;		/* FILE or https://URL */
	const char	*name, *dir;
	const char	*ca;			/* trust for the signature */
	const char	*https_ca;		/* trust for the download */
	const char	*eap_user, *id;
	const char	*p12_pass_file, *key_pass_file;
	unsigned	 timeout_s;
	bool		 force, insecure_sig;
};

enum {
	OPT_NAME = 256, OPT_FORCE, OPT_INSECURE_SIG, OPT_DIR, OPT_CA,
	OPT_HTTPS_CA, OPT_EAP_USER, OPT_ID, OPT_P12_PASS, OPT_KEY_PASS,
	OPT_TIMEOUT,
};

static const struct option import_opts[] = {
	{ "name",			required_argument, NULL, OPT_NAME },
	{ "force",			no_argument,	   NULL, OPT_FORCE },
	{ "insecure-signature",		no_argument,	   NULL, OPT_INSECURE_SIG },
	{ "dir",			required_argument, NULL, OPT_DIR },
	{ "ca",				required_argument, NULL, OPT_CA },
	{ "https-ca",			required_argument, NULL, OPT_HTTPS_CA },
	{ "eap-user",			required_argument, NULL, OPT_EAP_USER },
	{ "id",				required_argument, NULL, OPT_ID },
	{ "p12-password-file",		required_argument, NULL, OPT_P12_PASS },
	{ "key-passphrase-file",	required_argument, NULL, OPT_KEY_PASS },
	{ "timeout",			required_argument, NULL, OPT_TIMEOUT },
	{ "help",			no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
import_usage(FILE *f)
{
	fputs(
"usage: ikeroam import FILE|https://URL [options]\n"
"\n"
"Reads a strongSwan .sswan profile, an Apple .mobileconfig (IKEv2 payload,\n"
"signed or not) or an ikeroam profile, and writes DIR/NAME.json and the\n"
"certificate, key and secret files it names.\n"
"\n"
"options:\n"
"      --name NAME              the profile name [from the file]\n"
"      --dir DIR                where to write [$IKEROAM_CONFDIR or /etc/ikeroam]\n"
"      --force                  replace files that exist\n"
"      --ca FILE                also trust this CA for a profile's signature\n"
"                               [the system's CA store]\n"
"      --insecure-signature     import a profile whose signature is bad or\n"
"                               untrusted (with a warning)\n"
"      --https-ca FILE          CA for the https:// download [the system's]\n"
"      --timeout SECONDS        for the whole download [60]\n"
"      --eap-user NAME          the EAP user name when the file has none\n"
"      --id ID                  our IKE identity, instead of the file's\n"
"      --p12-password-file FILE the PKCS#12 password [asked on the terminal]\n"
"      --key-passphrase-file FILE\n"
"                               encrypt the private key with this passphrase\n"
"                               (the profile names the file) [plain, 0600]\n", f);
}

static int
parse_args(int argc, char **argv, struct import_args *a)
{
	uint32_t v;
	int c;

	memset(a, 0, sizeof(*a));
	a->timeout_s = 60;
	/* 0, not 1: glibc then also forgets a cluster an earlier call left
	 * half-read ("-hv" stops at h), which points into a dead argv. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", import_opts, NULL)) != -1) {
		switch (c) {
		case OPT_NAME: a->name = optarg; break;
		case OPT_FORCE: a->force = true; break;
		case OPT_INSECURE_SIG: a->insecure_sig = true; break;
		case OPT_DIR: a->dir = optarg; break;
		case OPT_CA: a->ca = optarg; break;
		case OPT_HTTPS_CA: a->https_ca = optarg; break;
		case OPT_EAP_USER: a->eap_user = optarg; break;
		case OPT_ID: a->id = optarg; break;
		case OPT_P12_PASS: a->p12_pass_file = optarg; break;
		case OPT_KEY_PASS: a->key_pass_file = optarg; break;
		case OPT_TIMEOUT:
			if (ir_parse_u32(optarg, 1, 3600, &v) != 0) {
				log_err("import: --timeout: not a number of "
				    "seconds from 1 to 3600");
				return IR_EXIT_USAGE;
			}
			a->timeout_s = v;
			break;
		case 'h':
			import_usage(stdout);
			return -1;
		case ':':
			log_err("import: option '%s' needs a value",
			    argv[optind - 1]);
			return IR_EXIT_USAGE;
		default:
			log_err("import: unknown option '%s'; see ikeroam "
			    "import --help", argv[optind - 1]);
			return IR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		log_err("import: give one FILE or https://URL; see ikeroam "
		    "import --help");
		return IR_EXIT_USAGE;
	}
	a->source = argv[optind];
	if (a->name != NULL && !import_name_valid(a->name)) {
		log_err("import: --name: use letters, digits, '.', '_' and "
		    "'-' (at most %d, not starting with '.' or '-')",
		    IMPORT_NAME_MAX);
		return IR_EXIT_USAGE;
	}
	if (a->key_pass_file != NULL && a->key_pass_file[0] != '/') {
		log_err("import: --key-passphrase-file: give an absolute path "
		    "(the profile names it)");
		return IR_EXIT_USAGE;
	}
	return 0;
}

/* The whole of a regular file of at most IMPORT_INPUT_MAX bytes. */
static int
read_input(const char *path, uint8_t **data, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, rv = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("import: %s: %s", path, strerror(errno));
		return IR_EXIT_USAGE;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		log_err("import: %s: not a regular file", path);
		close(fd);
		return IR_EXIT_USAGE;
	}
	if (st.st_size == 0 || st.st_size > (off_t)IMPORT_INPUT_MAX) {
		log_err("import: %s: %s", path, st.st_size == 0 ? "empty" :
		    "larger than 1 MiB; not a profile");
		close(fd);
		return IR_EXIT_USAGE;
	}
	if ((*data = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return IR_EXIT_FAILURE;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_err("import: %s: %s", path, n < 0 ?
			    strerror(errno) : "shorter than expected");
			rv = IR_EXIT_FAILURE;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (rv != 0) {
		free(*data);
		*data = NULL;
		return rv;
	}
	*len = got;
	return 0;
}

/* Open a CMS signature in place: *|data| becomes the signed content. */
static int
open_signature(const struct import_args *a, uint8_t **data, size_t *len)
{
	struct crypto_cms_opts o = {
		.ca_file = a->ca, .ca_dir = SYSTEM_CA_DIR,
		.insecure = a->insecure_sig,
	};
	char signer[CRYPTO_LINE_MAX], why[CRYPTO_LINE_MAX];
	uint8_t *content;
	size_t clen;
	int rv;

	rv = crypto_cms_open(*data, *len, &o, &content, &clen, signer,
	    sizeof(signer), why, sizeof(why));
	if (rv == 0) {
		log_info("signed by %s (signature verified)", signer);
	} else if ((rv == IR_ERR_AUTH || rv == IR_ERR_CERT) && a->insecure_sig &&
	    content != NULL) {
		log_warn("THE SIGNATURE IS NOT TRUSTED: %s (signer: %s); "
		    "importing anyway because of --insecure-signature", why,
		    signer[0] != '\0' ? signer : "unknown");
	} else if (rv == IR_ERR_AUTH || rv == IR_ERR_CERT) {
		if (signer[0] != '\0')
			log_err("import: %s: refused: %s (signer: %s); use "
			    "--ca FILE for a private CA, or "
			    "--insecure-signature", a->source, why, signer);
		else
			log_err("import: %s: refused: %s; use "
			    "--insecure-signature to import it anyway",
			    a->source, why);
		free(content);
		return IR_EXIT_USAGE;
	} else {
		log_err("import: %s: the signed profile is malformed (%s)",
		    a->source, ir_strerror(rv));
		free(content);
		return IR_EXIT_USAGE;
	}
	free(*data);
	*data = content;
	*len = clen;
	return 0;
}

static int
read_secret_file(const char *path, char *out, size_t cap)
{
	char err[256];
	size_t len = 0;

	if (secret_read_file(path, (uint8_t *)out, cap - 1, &len, err,
	    sizeof(err)) != 0) {
		log_err("import: %s", err);
		return IR_EXIT_USAGE;
	}
	out[len] = '\0';
	return 0;
}

/* Open the PKCS#12: its own password, none, the file's, or asked. */
static int
open_p12(const struct import_args *a, struct import *im,
    struct crypto_p12_pem *pem)
{
	char pass[PASS_MAX], keypass[PASS_MAX], err[256];
	const char *kp = NULL;
	size_t len = 0;
	int rv;

	pass[0] = keypass[0] = '\0';
	if (a->key_pass_file != NULL) {
		if ((rv = read_secret_file(a->key_pass_file, keypass,
		    sizeof(keypass))) != 0)
			return rv;
		kp = keypass;
	}
	rv = crypto_p12_to_pem(im->p12.der, im->p12.len, im->p12.password, kp,
	    pem);
	if (rv == IR_ERR_AUTH && a->p12_pass_file != NULL) {
		if ((rv = read_secret_file(a->p12_pass_file, pass,
		    sizeof(pass))) != 0)
			goto out;
		rv = crypto_p12_to_pem(im->p12.der, im->p12.len, pass, kp, pem);
	} else if (rv == IR_ERR_AUTH) {
		if (secret_read_tty("PKCS#12 password: ", (uint8_t *)pass,
		    sizeof(pass) - 1, &len, err, sizeof(err)) != 0) {
			log_err("import: the PKCS#12 needs a password and there "
			    "is no terminal to ask; use --p12-password-file "
			    "FILE");
			rv = IR_EXIT_USAGE;
			goto out;
		}
		pass[len] = '\0';
		rv = crypto_p12_to_pem(im->p12.der, im->p12.len, pass, kp, pem);
	}
	if (rv == IR_ERR_AUTH) {
		log_err("import: wrong PKCS#12 password");
		rv = IR_EXIT_AUTH;
	} else if (rv != 0) {
		log_err("import: the PKCS#12 %s", rv == IR_ERR_UNSUPPORTED ?
		    "holds no private key with its certificate" :
		    "is malformed or uses a cipher OpenSSL cannot open");
		rv = IR_EXIT_USAGE;
	}
out:
	ir_wipe(pass, sizeof(pass));
	ir_wipe(keypass, sizeof(keypass));
	return rv;
}

/* The certificate, key and CA files of the PKCS#12; the identity from
 * the certificate when the file named none. */
static int
add_p12_files(const struct import_args *a, struct import *im)
{
	struct crypto_p12_pem pem;
	bool have_ca = false;
	size_t i;
	int rv;

	if ((rv = open_p12(a, im, &pem)) != 0)
		return rv;
	for (i = 0; i < im->nfiles; i++)
		have_ca |= im->files[i].key != NULL &&
		    strcmp(im->files[i].key, "ca") == 0;
	rv = IR_EXIT_FAILURE;
	if (import_add_file(im, "cert.pem", "cert", (uint8_t *)pem.cert,
	    pem.cert_len, false) != 0 ||
	    import_add_file(im, "key.pem", "key", (uint8_t *)pem.key,
	    pem.key_len, true) != 0)
		goto out;
	import_info(im, "certificate: %s", pem.subject);
	if (pem.n_cas > 0 && !have_ca) {
		if (import_add_file(im, "ca.pem", "ca", (uint8_t *)pem.cas,
		    pem.cas_len, false) != 0)
			goto out;
		import_note(im, "the gateway is verified against the %zu CA "
		    "certificate(s) of the PKCS#12", pem.n_cas);
	} else if (pem.n_cas > 0) {
		import_note(im, "the PKCS#12's %zu CA certificate(s) are not "
		    "trusted for the gateway: the profile names its CA",
		    pem.n_cas);
	}
	if (a->key_pass_file != NULL &&
	    json_object_object_add(im->profile, "key-passphrase-file",
	    json_object_new_string(a->key_pass_file)) != 0)
		goto out;
	if (im->p12.set_id && a->id == NULL) {
		const char *id = pem.san_id[0] != '\0' ? pem.san_id :
		    pem.subject;

		if (json_object_object_add(im->profile, "id",
		    json_object_new_string(id)) != 0)
			goto out;
		import_note(im, "id: none in the file; using the certificate's "
		    "%s '%s'", pem.san_id[0] != '\0' ? "subjectAltName" :
		    "subject", id);
	}
	rv = 0;
out:
	crypto_p12_pem_clear(&pem);
	return rv;
}

/* Relative file names of an ikeroam profile start at its directory;
 * a downloaded one has none to start from. */
static int
rebase_native(const struct import_args *a, struct import *im)
{
	char *real, *slash;
	int rv;

	if (strncmp(a->source, "https://", 8) == 0)
		return 0;
	if ((real = realpath(a->source, NULL)) == NULL) {
		log_err("import: %s: %s", a->source, strerror(errno));
		return IR_EXIT_FAILURE;
	}
	if ((slash = strrchr(real, '/')) != NULL)
		*slash = '\0';
	rv = import_native_rebase(im, real[0] != '\0' ? real : "/");
	free(real);
	return rv != 0 ? IR_EXIT_FAILURE : 0;
}

/* The name from --name, the file, or the source's base name. */
static int
choose_name(const struct import_args *a, const struct import *im, char *out,
    size_t cap)
{
	const char *base, *q;
	char tmp[256];
	size_t n;

	if (a->name != NULL) {
		snprintf(out, cap, "%s", a->name);
		return 0;
	}
	if (im->name[0] != '\0') {
		snprintf(out, cap, "%s", im->name);
		return 0;
	}
	base = strrchr(a->source, '/');
	base = base != NULL ? base + 1 : a->source;
	n = strcspn(base, "?#");
	if ((q = memchr(base, '.', n)) != NULL)
		n = (size_t)(q - base);
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 255 ? n : 255), base);
	if (import_name_from(tmp, out, cap))
		return 0;
	log_err("import: no usable profile name in the file; add --name NAME");
	return IR_EXIT_USAGE;
}

/* DIR must exist (made 0755 when missing) and pass the checks of
 * src/safefile.c: owned by root or us, writable by no one else. */
static int
check_dir(const char *dir)
{
	char err[512];
	int rv;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		log_err("import: cannot create %s: %s", dir, strerror(errno));
		return errno == EACCES || errno == EPERM ? IR_EXIT_PERMISSION :
		    IR_EXIT_FAILURE;
	}
	if ((rv = safefile_check_dir(dir, err, sizeof(err))) != 0) {
		log_err("import: %s", err);
		return rv == IR_ERR_CONFIG || rv == -EACCES || rv == -EPERM ?
		    IR_EXIT_PERMISSION : IR_EXIT_FAILURE;
	}
	return 0;
}

static int
write_one(const char *path, const void *data, size_t len, bool secret)
{
	char err[512];
	int rv;

	if ((rv = safefile_write(path, secret ? 0600 : 0644, data, len, err,
	    sizeof(err))) != 0) {
		log_err("import: %s", err);
		return rv == -EACCES || rv == -EPERM ? IR_EXIT_PERMISSION :
		    IR_EXIT_FAILURE;
	}
	return 0;
}

/* Each file, then the profile that names them: a profile is never
 * written before its files. */
static int
write_all_files(const struct import_args *a, struct import *im,
    const char *dir, const char *name)
{
	char path[IMPORT_PATH_MAX + 8];
	struct stat st;
	const char *json;
	char *buf;
	size_t i, jl;
	int rv;

	if ((rv = check_dir(dir)) != 0)
		return rv;
	/* Refuse before anything is written. */
	for (i = 0; i <= im->nfiles && !a->force; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, name, i == 0 ?
		    "json" : im->files[i - 1].suffix);
		if (lstat(path, &st) == 0) {
			log_err("import: %s exists; use --force to replace "
			    "it, or --name NAME", path);
			return IR_EXIT_USAGE;
		}
	}
	for (i = 0; i < im->nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, name,
		    im->files[i].suffix);
		if ((rv = write_one(path, im->files[i].data, im->files[i].len,
		    im->files[i].secret)) != 0)
			return rv;
		printf("wrote %s (%s%s)\n", path, im->files[i].key != NULL ?
		    im->files[i].key : im->files[i].suffix,
		    im->files[i].secret ? ", mode 0600" : "");
	}
	json = json_object_to_json_string_ext(im->profile,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	jl = strlen(json);
	if ((buf = malloc(jl + 1)) == NULL)
		return IR_EXIT_FAILURE;
	memcpy(buf, json, jl);
	buf[jl] = '\n';
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	rv = write_one(path, buf, jl + 1, false);
	free(buf);
	if (rv != 0)
		return rv;
	printf("wrote %s (profile; connect with: ikeroam connect %s)\n", path,
	    name);
	return 0;
}

static int
load_source(const struct import_args *a, uint8_t **data, size_t *len)
{
	struct import_fetch_opts fo = {
		.ca_file = a->https_ca, .connect_s = 10,
		.total_s = a->timeout_s, .max = IMPORT_INPUT_MAX,
	};
	char err[512];

	if (strncmp(a->source, "https://", 8) == 0) {
		if (import_fetch(a->source, &fo, data, len, err,
		    sizeof(err)) != 0) {
			log_err("import: %s", err);
			return IR_EXIT_FAILURE;
		}
		return 0;
	}
	if (strstr(a->source, "://") != NULL) {
		log_err("import: only https:// URLs are fetched (the profile "
		    "carries keys and trust)");
		return IR_EXIT_USAGE;
	}
	return read_input(a->source, data, len);
}

static int
run_import(const struct import_args *a, bool a_signed, struct import *im,
    uint8_t *data, size_t len)
{
	char name[IMPORT_NAME_MAX + 1], err[512];
	const char *dir;
	size_t i;
	int rv, fmt;

	im->opt_eap_user = a->eap_user;
	fmt = import_detect(data, len);
	if (fmt == IMPORT_FMT_MOBILECONFIG && !a_signed)
		log_info("%s: the profile is not signed", a->source);
	if (fmt == IMPORT_FMT_SSWAN)
		rv = import_sswan(data, len, im);
	else if (fmt == IMPORT_FMT_MOBILECONFIG)
		rv = import_mobileconfig(data, len, im);
	else if (fmt == IMPORT_FMT_NATIVE)
		rv = import_native(data, len, im);
	else
		rv = import_fail(im, "neither a .sswan, a .mobileconfig nor "
		    "an ikeroam profile");
	if (rv != 0) {
		log_err("import: %s: %s", a->source, im->err[0] != '\0' ?
		    im->err : ir_strerror(rv));
		return IR_EXIT_USAGE;
	}
	if (fmt == IMPORT_FMT_NATIVE && (rv = rebase_native(a, im)) != 0)
		return rv;
	if (im->p12.der != NULL && (rv = add_p12_files(a, im)) != 0)
		return rv;
	if (a->id != NULL)
		json_object_object_add(im->profile, "id",
		    json_object_new_string(a->id));
	if ((rv = choose_name(a, im, name, sizeof(name))) != 0)
		return rv;
	dir = a->dir != NULL ? a->dir : getenv("IKEROAM_CONFDIR") != NULL ?
	    getenv("IKEROAM_CONFDIR") : DEFAULT_CONFDIR;
	/* The profile names its files by absolute paths. */
	if (dir[0] != '/' || strlen(dir) > 1024) {
		log_err("import: %s: give the profile directory as an absolute "
		    "path", dir);
		return IR_EXIT_USAGE;
	}
	if (import_link_files(im, dir, name) != 0)
		return IR_EXIT_FAILURE;
	for (i = 0; i < im->nnotes; i++) {
		if (im->note_is_info[i])
			log_info("%s", im->notes[i]);
		else
			log_warn("%s", im->notes[i]);
	}
	if (im->notes_dropped > 0)
		log_warn("... and %zu more notes", im->notes_dropped);
	if (import_validate(im->profile, err, sizeof(err)) != 0) {
		log_err("import: %s: the profile would not work: %s",
		    a->source, err);
		return IR_EXIT_USAGE;
	}
	return write_all_files(a, im, dir, name);
}

int
cmd_import(int argc, char **argv)
{
	struct import_args a;
	struct import im;
	uint8_t *data = NULL;
	size_t len = 0;
	bool is_signed;
	int rv;

	log_init(IR_LOG_INFO, 0);
	if ((rv = parse_args(argc, argv, &a)) != 0)
		return rv < 0 ? IR_EXIT_OK : rv;
	if ((rv = load_source(&a, &data, &len)) != 0)
		return rv;
	is_signed = crypto_cms_is_signed(data, len);
	if (is_signed && (rv = open_signature(&a, &data, &len)) != 0) {
		free(data);
		return rv;
	}
	import_init(&im);
	rv = run_import(&a, is_signed, &im, data, len);
	import_clear(&im);
	ir_wipe(data, len);
	free(data);
	return rv;
}
