// SPDX-License-Identifier: GPL-2.0
/*
 * Source lines of kernel addresses from a vmlinux with debug info, and from the debug files of
 * modules, through elfutils' libdwfl and libdw, as scripts/decode_stacktrace.sh gives them with
 * addr2line -i: the line of the address, then for each inlined function the line it was inlined
 * at, out to the function the symbol table names.
 *
 * Before any line is trusted the vmlinux is compared with the recording: the relocation (KASLR)
 * is voted by the stack frames' symbols, then every function of the vmlinux is looked up in the
 * recording's kallsyms at its relocated address. A vmlinux of the traced build has (nearly) all
 * of them there; another build's functions sit elsewhere, each moved by its own amount.
 */
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>

#include "pagecheck.h"

/* A function of a symbol table: its name points into the ELF file's string table. */
struct func {
	uint64_t addr;
	uint64_t size;
	const char *name;
	size_t section;
};

/* The functions of one ELF file, by address and by name. */
struct functab {
	struct func *by_addr;
	struct func *by_name;
	size_t nr;
};

/* How the functions of an ELF file sit in kallsyms under one relocation. */
struct agreement {
	uint64_t functions;	/* with a size, one per address */
	uint64_t checked;	/* of them, inside the kallsyms' range */
	uint64_t agreed;	/* of those, where kallsyms has them */
};

/* A module's debug file, looked for once, when a frame of the module is first printed. */
struct module_debug {
	char *name;		/* as kallsyms spells it */
	char *path;		/* the file found, or NULL */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct functab funcs;
	struct agreement agreement;	/* of its frames' section (the first one seen) */
	bool verdict_known;	/* checked/agreed are final */
};

struct pcr_vmlinux {
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct functab funcs;
	char *modules_dir;
	struct module_debug *modules;
	size_t nr_modules;
	size_t cap_modules;
	uint64_t unnamed;	/* frames outside the vmlinux that kallsyms gave no module */
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static int func_by_addr(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int func_by_name(const void *a, const void *b)
{
	const struct func *x = a, *y = b;
	int cmp = strcmp(x->name, y->name);

	if (cmp)
		return cmp;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void functab_free(struct functab *t)
{
	free(t->by_addr);
	free(t->by_name);
	memset(t, 0, sizeof(*t));
}

/* Collects the defined functions of @mod's symbol table (addresses as libdwfl lays them out). */
static int functab_load(struct functab *t, Dwfl_Module *mod)
{
	int i, nr = dwfl_module_getsymtab(mod);
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	if (nr <= 0)
		return 0;
	t->by_addr = malloc((size_t)nr * sizeof(*t->by_addr));
	t->by_name = malloc((size_t)nr * sizeof(*t->by_name));
	if (!t->by_addr || !t->by_name) {
		functab_free(t);
		return -PCR_ERR_NOMEM;
	}
	for (i = 1; i < nr; i++) {
		GElf_Word shndx = 0;
		GElf_Addr value;
		GElf_Sym sym;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &value, &shndx, NULL,
							   NULL);

		if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF)
			continue;
		t->by_addr[n].addr = value;
		t->by_addr[n].size = sym.st_size;
		t->by_addr[n].name = name;
		t->by_addr[n].section = shndx ? shndx : sym.st_shndx;
		n++;
	}
	t->nr = n;
	qsort(t->by_addr, n, sizeof(*t->by_addr), func_by_addr);
	memcpy(t->by_name, t->by_addr, n * sizeof(*t->by_name));
	qsort(t->by_name, n, sizeof(*t->by_name), func_by_name);
	return 0;
}

/* The first entry of the sorted @a that does not sort before @key under @cmp. */
static size_t lower_bound(const struct func *a, size_t n, const struct func *key,
			  int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(&a[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first function named @name (the lowest address of several), or NULL. */
static const struct func *find_name(const struct functab *t, const char *name)
{
	const struct func key = { .name = name };
	size_t i = lower_bound(t->by_name, t->nr, &key, func_by_name);

	return i < t->nr && !strcmp(t->by_name[i].name, name) ? &t->by_name[i] : NULL;
}

/* Whether a function named @name starts at @addr (one of several names there will do). */
static bool has_func_at(const struct functab *t, uint64_t addr, const char *name)
{
	const struct func key = { .addr = addr, .name = "" };
	size_t i;

	for (i = lower_bound(t->by_addr, t->nr, &key, func_by_addr);
	     i < t->nr && t->by_addr[i].addr == addr; i++)
		if (!strcmp(t->by_addr[i].name, name))
			return true;
	return false;
}

int pcr_vmlinux_open(struct pcr_vmlinux **out, const char *path)
{
	struct pcr_vmlinux *vm;
	Dwarf_Addr bias;
	int ret;

	*out = NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -PCR_ERR_NOMEM;
	vm->dwfl = dwfl_begin(&offline_callbacks);
	if (!vm->dwfl) {
		free(vm);
		return -PCR_ERR_NOMEM;
	}
	vm->mod = dwfl_report_offline(vm->dwfl, "vmlinux", path, -1);
	dwfl_report_end(vm->dwfl, NULL, NULL);
	/* A vmlinux without DWARF (stripped, or /boot's compressed vmlinuz) has no lines. */
	if (!vm->mod || !dwfl_module_getdwarf(vm->mod, &bias)) {
		pcr_vmlinux_free(vm);
		return -PCR_ERR_FORMAT;
	}
	ret = functab_load(&vm->funcs, vm->mod);
	if (ret) {
		pcr_vmlinux_free(vm);
		return ret;
	}
	*out = vm;
	return 0;
}

void pcr_vmlinux_free(struct pcr_vmlinux *vm)
{
	size_t i;

	if (!vm)
		return;
	for (i = 0; i < vm->nr_modules; i++) {
		struct module_debug *m = &vm->modules[i];

		functab_free(&m->funcs);
		if (m->dwfl)
			dwfl_end(m->dwfl);
		free(m->name);
		free(m->path);
	}
	free(vm->modules);
	free(vm->modules_dir);
	functab_free(&vm->funcs);
	if (vm->dwfl)
		dwfl_end(vm->dwfl);
	free(vm);
}

int pcr_vmlinux_set_modules_dir(struct pcr_vmlinux *vm, const char *dir)
{
	char *copy = strdup(dir);

	if (!copy)
		return -PCR_ERR_NOMEM;
	free(vm->modules_dir);
	vm->modules_dir = copy;
	return 0;
}

int pcr_vmlinux_symbol(struct pcr_vmlinux *vm, const char *name, uint64_t *addr)
{
	const struct func *f = find_name(&vm->funcs, name);

	if (!f)
		return -PCR_ERR_INVAL;
	*addr = f->addr;
	return 0;
}

int pcr_vmlinux_srcline(struct pcr_vmlinux *vm, uint64_t addr, const char **file, int *line)
{
	Dwfl_Line *l = dwfl_module_getsrc(vm->mod, addr);
	const char *src;

	if (!l)
		return -PCR_ERR_INVAL;
	src = dwfl_lineinfo(l, NULL, line, NULL, NULL, NULL);
	if (!src)
		return -PCR_ERR_INVAL;
	*file = src;
	return 0;
}

/* The name of a function's DIE, through DW_AT_abstract_origin for an inlined instance. */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name;

	name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
	return name ? name : "??";
}

/*
 * The lines of @addr in @mod, innermost first, as eu-addr2line -i -f finds them: the line table
 * gives the innermost line; each inlined_subroutine scope around it names the inlined function
 * and, by DW_AT_call_file/DW_AT_call_line, the line of the next scope out.
 */
static int module_lines(Dwfl_Module *mod, uint64_t addr, struct pcr_srcloc *locs,
			unsigned int max, unsigned int *nr)
{
	Dwarf_Die *cudie, *scopes = NULL, *chain = NULL, innermost;
	Dwfl_Line *l = dwfl_module_getsrc(mod, addr);
	Dwarf_Files *files = NULL;
	const char *file;
	int line = 0, n, i;
	Dwarf_Addr bias;
	size_t nfiles = 0;

	*nr = 0;
	if (!l || !max)
		return -PCR_ERR_INVAL;
	file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
	if (!file)
		return -PCR_ERR_INVAL;
	locs[0] = (struct pcr_srcloc){ .function = NULL, .file = file, .line = line };
	*nr = 1;
	cudie = dwfl_module_addrdie(mod, addr, &bias);
	if (!cudie || dwarf_getscopes(cudie, addr - bias, &scopes) <= 0) {
		free(scopes);
		return 0;
	}
	/* The scopes of the innermost one, through the concrete tree, as eu-addr2line does. */
	innermost = scopes[0];
	free(scopes);
	n = dwarf_getscopes_die(&innermost, &chain);
	if (n <= 0) {
		free(chain);
		return 0;
	}
	if (dwarf_getsrcfiles(cudie, &files, &nfiles))
		files = NULL;
	for (i = 0; i < n; i++) {
		int tag = dwarf_tag(&chain[i]);
		Dwarf_Attribute attr;
		Dwarf_Word call_file = 0, call_line = 0;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		locs[*nr - 1].function = die_name(&chain[i]);
		if (tag == DW_TAG_subprogram)
			break;
		locs[*nr - 1].inlined = true;
		if (*nr == max || !files ||
		    dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &attr), &call_file) ||
		    dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &attr), &call_line) ||
		    call_file >= nfiles)
			break;
		locs[*nr].function = NULL;
		locs[*nr].file = dwarf_filesrc(files, call_file, NULL, NULL);
		locs[*nr].line = (int)call_line;
		locs[*nr].inlined = false;
		if (!locs[*nr].file)
			break;
		(*nr)++;
	}
	free(chain);
	return 0;
}

int pcr_vmlinux_srclines(struct pcr_vmlinux *vm, uint64_t addr, struct pcr_srcloc *locs,
			 unsigned int max, unsigned int *nr)
{
	return module_lines(vm->mod, addr, locs, max, nr);
}

/*
 * Counts the functions of @t (those of @section only, unless SIZE_MAX) that @sym has at their
 * address moved by @offset, under their name or an alias of theirs.
 */
static void count_agreement(const struct functab *t, size_t section, int64_t offset,
			    const struct pcr_symbolizer *sym, struct agreement *a)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < t->nr; i++) {
		const struct func *f = &t->by_addr[i];
		uint64_t runtime = f->addr + (uint64_t)offset;
		struct pcr_symbol k;

		if (!f->size || (section != SIZE_MAX && f->section != section))
			continue;
		/* Aliases: only the first of the names at one address is looked up. */
		if (i && t->by_addr[i - 1].addr == f->addr)
			continue;
		a->functions++;
		/* Past the kallsyms' last symbol (whose size is unknown) nothing can be said. */
		if (sym->resolve(sym->ctx, runtime, &k))
			continue;
		a->checked++;
		if (k.start == runtime && has_func_at(t, f->addr, k.name))
			a->agreed++;
	}
}

/*
 * Whether an agreement is a match: nine in ten of the functions checked agree, and at least
 * half of them could be checked (README "Source lines").
 */
static bool trusted(uint64_t agreed, uint64_t checked, uint64_t functions)
{
	return checked && agreed * 10 >= checked * 9 && checked * 2 >= functions;
}

/* Whether @a is a larger share of agreeing functions than @b has. */
static bool better(const struct agreement *a, uint64_t agreed, uint64_t checked)
{
	return a->agreed * checked > agreed * a->checked;
}

/* Up to this many relocations the frames propose are tried; the best agreement wins. */
#define MAX_CANDIDATES 4
/* Frames looked at for proposals. */
#define MAX_VOTERS 4096

struct candidate {
	int64_t offset;
	uint64_t votes;
};

static void vote(struct candidate *c, size_t *nr, size_t cap, int64_t offset)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if (c[i].offset == offset) {
			c[i].votes++;
			return;
		}
	if (*nr < cap)
		c[(*nr)++] = (struct candidate){ .offset = offset, .votes = 1 };
}

static int by_votes(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int pcr_vmlinux_match(struct pcr_vmlinux *vm, const struct pcr_depot *depot,
		      const struct pcr_symbolizer *sym, struct pcr_vmlinux_match *match)
{
	uint64_t stacks, frames_stored, bytes, voters = 0;
	struct candidate cand[64];
	size_t nr_cand = 0, c;
	const uint64_t *frames;
	unsigned int nr, i;
	uint32_t id;

	memset(match, 0, sizeof(*match));
	if (!sym || !sym->resolve || !depot)
		return -PCR_ERR_INVAL;
	pcr_depot_stats(depot, &stacks, &frames_stored, &bytes);
	for (id = 1; id <= stacks && match->named < MAX_VOTERS; id++) {
		if (pcr_depot_get(depot, id, &frames, &nr))
			continue;
		for (i = 0; i < nr && match->named < MAX_VOTERS; i++) {
			struct pcr_symbol k;
			const struct func *f;

			/* Module symbols live elsewhere than the vmlinux's text. */
			if (sym->resolve(sym->ctx, frames[i], &k) || k.module)
				continue;
			match->named++;
			f = find_name(&vm->funcs, k.name);
			if (!f)
				continue;
			voters++;
			/* Every function of that name proposes its own relocation. */
			for (; f < vm->funcs.by_name + vm->funcs.nr && !strcmp(f->name, k.name);
			     f++)
				vote(cand, &nr_cand, sizeof(cand) / sizeof(cand[0]),
				     (int64_t)(k.start - f->addr));
		}
	}
	if (!nr_cand)
		return -PCR_ERR_INVAL;
	qsort(cand, nr_cand, sizeof(*cand), by_votes);
	for (c = 0; c < nr_cand && c < MAX_CANDIDATES; c++) {
		struct agreement a;

		count_agreement(&vm->funcs, SIZE_MAX, cand[c].offset, sym, &a);
		if (!c || better(&a, match->agreed, match->checked)) {
			match->offset = cand[c].offset;
			match->votes = cand[c].votes;
			match->functions = a.functions;
			match->checked = a.checked;
			match->agreed = a.agreed;
		}
	}
	match->voters = voters;
	return 0;
}

int pcr_vmlinux_kaslr_offset(struct pcr_vmlinux *vm, const struct pcr_depot *depot,
			     const struct pcr_symbolizer *sym, int64_t *offset)
{
	struct pcr_vmlinux_match match;
	int ret = pcr_vmlinux_match(vm, depot, sym, &match);

	if (!ret)
		*offset = match.offset;
	return ret;
}

/* Reads the string at @addr of @mod's file (a .rodata object such as linux_banner). */
static int read_string(Dwfl_Module *mod, uint64_t addr, char *buf, size_t size)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	Elf_Scn *scn = NULL;

	if (!elf)
		return -PCR_ERR_INVAL;
	addr -= bias;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t off, n;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_PROGBITS ||
		    addr < shdr.sh_addr || addr - shdr.sh_addr >= shdr.sh_size)
			continue;
		data = elf_getdata(scn, NULL);
		off = (size_t)(addr - shdr.sh_addr);
		if (!data || !data->d_buf || off >= data->d_size)
			return -PCR_ERR_INVAL;
		for (n = 0; n + 1 < size && off + n < data->d_size &&
			    ((const char *)data->d_buf)[off + n]; n++)
			buf[n] = ((const char *)data->d_buf)[off + n];
		buf[n] = '\0';
		return n ? 0 : -PCR_ERR_INVAL;
	}
	return -PCR_ERR_INVAL;
}

int pcr_vmlinux_release(struct pcr_vmlinux *vm, char *buf, size_t size)
{
	int i, nr = dwfl_module_getsymtab(vm->mod);
	char banner[512];

	if (!size)
		return -PCR_ERR_INVAL;
	buf[0] = '\0';
	for (i = 1; i < nr; i++) {
		GElf_Addr value;
		GElf_Sym sym;
		const char *name = dwfl_module_getsym_info(vm->mod, i, &sym, &value, NULL, NULL,
							   NULL);
		const char *p, *end;

		if (!name || strcmp(name, "linux_banner") || sym.st_shndx == SHN_UNDEF)
			continue;
		if (read_string(vm->mod, value, banner, sizeof(banner)) ||
		    strncmp(banner, "Linux version ", 14))
			return -PCR_ERR_INVAL;
		/* "Linux version RELEASE (builder) ...": the third word. */
		p = banner + 14;
		end = p + strcspn(p, " \n");
		if (end == p || (size_t)(end - p) >= size)
			return -PCR_ERR_INVAL;
		memcpy(buf, p, (size_t)(end - p));
		buf[end - p] = '\0';
		return 0;
	}
	return -PCR_ERR_INVAL;
}

int pcr_vmlinux_build_id(struct pcr_vmlinux *vm, char *buf, size_t size)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(vm->mod, &bits, &vaddr), i;

	if (n <= 0 || (size_t)n * 2 + 1 > size)
		return -PCR_ERR_INVAL;
	for (i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", bits[i]);
	return 0;
}

int pcr_uname_release(const char *uname, char *buf, size_t size)
{
	const char *word[5] = { NULL }, *p = uname;
	size_t len[5] = { 0 }, n = 0, pick;

	while (*p && n < 5) {
		p += strspn(p, " ");
		if (!*p)
			break;
		word[n] = p;
		len[n] = strcspn(p, " ");
		p += len[n++];
	}
	/* "Linux HOST RELEASE ARCH" (trace.dat, perf.data, live), or RELEASE alone (perf.data). */
	if (n == 4 && len[0] == 5 && !strncmp(word[0], "Linux", 5))
		pick = 2;
	else if (n == 1)
		pick = 0;
	else
		return -PCR_ERR_INVAL;
	if (len[pick] >= size)
		return -PCR_ERR_INVAL;
	memcpy(buf, word[pick], len[pick]);
	buf[len[pick]] = '\0';
	return 0;
}

/*
 * Whether @base is one of the names a module's debug file may have: NAME.ko, NAME.ko.debug, and
 * the same with '-' and '_' swapped (kallsyms says pcr_fault for pcr-fault.ko).
 */
static bool module_file_name(const char *base, const char *module)
{
	static const char *const suffixes[] = { ".ko", ".ko.debug" };
	size_t len = strlen(module), i, s;

	if (strlen(base) < len)
		return false;
	for (i = 0; i < len; i++) {
		char a = base[i] == '-' ? '_' : base[i], b = module[i] == '-' ? '_' : module[i];

		if (a != b)
			return false;
	}
	for (s = 0; s < sizeof(suffixes) / sizeof(suffixes[0]); s++)
		if (!strcmp(base + len, suffixes[s]))
			return true;
	return false;
}

/*
 * Finds @module's debug file anywhere under @dir (a modules tree such as
 * /usr/lib/debug/lib/modules/RELEASE, or a build directory): of several, the one whose path
 * sorts first, so that the choice does not depend on the order directories list them in.
 */
static int find_module_file(const char *dir, const char *module, char **path)
{
	char *const roots[] = { (char *)dir, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	FTSENT *e;

	*path = NULL;
	if (!fts)
		return -PCR_ERR_IO;
	while ((e = fts_read(fts))) {
		char *copy;

		if ((e->fts_info != FTS_F && e->fts_info != FTS_SL) ||
		    !module_file_name(e->fts_name, module) ||
		    (*path && strcmp(e->fts_path, *path) >= 0))
			continue;
		copy = strdup(e->fts_path);
		if (!copy) {
			free(*path);
			*path = NULL;
			fts_close(fts);
			return -PCR_ERR_NOMEM;
		}
		free(*path);
		*path = copy;
	}
	fts_close(fts);
	return 0;
}

/* The module's entry, created (and its debug file looked for and opened) at the first call. */
static int module_debug(struct pcr_vmlinux *vm, const char *name, struct module_debug **out)
{
	struct module_debug *m;
	Dwarf_Addr bias;
	size_t i;
	int ret;

	*out = NULL;
	for (i = 0; i < vm->nr_modules; i++)
		if (!strcmp(vm->modules[i].name, name)) {
			*out = &vm->modules[i];
			return 0;
		}
	if (vm->nr_modules == vm->cap_modules) {
		size_t cap = vm->cap_modules ? vm->cap_modules * 2 : 8;

		m = realloc(vm->modules, cap * sizeof(*m));
		if (!m)
			return -PCR_ERR_NOMEM;
		vm->modules = m;
		vm->cap_modules = cap;
	}
	m = &vm->modules[vm->nr_modules];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (!m->name)
		return -PCR_ERR_NOMEM;
	vm->nr_modules++;
	*out = m;
	if (!vm->modules_dir)
		return 0;
	ret = find_module_file(vm->modules_dir, name, &m->path);
	if (ret || !m->path)
		return ret == -PCR_ERR_NOMEM ? ret : 0;
	m->dwfl = dwfl_begin(&offline_callbacks);
	if (!m->dwfl)
		return -PCR_ERR_NOMEM;
	m->mod = dwfl_report_offline(m->dwfl, name, m->path, -1);
	dwfl_report_end(m->dwfl, NULL, NULL);
	/* A stripped .ko (as /lib/modules holds them) reads, but has no lines to give. */
	if (m->mod && !dwfl_module_getdwarf(m->mod, &bias))
		m->mod = NULL;
	if (m->mod)
		ret = functab_load(&m->funcs, m->mod);
	return ret;
}

/*
 * A module's functions are checked section by section against the frame's own: each function
 * of the frame's section must be in kallsyms as far from the frame's symbol as in the file.
 */
static void module_verdict(struct module_debug *m, const struct func *f, uint64_t start,
			   const struct pcr_symbolizer *sym)
{
	if (m->verdict_known)
		return;
	count_agreement(&m->funcs, f->section, (int64_t)(start - f->addr), sym, &m->agreement);
	m->verdict_known = true;
}

int pcr_vmlinux_frame(struct pcr_vmlinux *vm, uint64_t addr, const struct pcr_symbol *k,
		      int64_t offset, const struct pcr_symbolizer *sym, struct pcr_frame_src *src)
{
	struct module_debug *m;
	const struct func *f;
	int ret;

	memset(src, 0, sizeof(*src));
	/* Every frame is a return address, the first too: its call is the byte before. */
	if (!k) {
		src->status = module_lines(vm->mod, addr - (uint64_t)offset - 1, src->locs,
					   PCR_INLINE_MAX, &src->nr) ? PCR_SRC_NO_LINE : PCR_SRC_OK;
		return 0;
	}
	if (!k->module) {
		uint64_t link = k->start - (uint64_t)offset;
		const struct func *last = vm->funcs.nr ? &vm->funcs.by_addr[vm->funcs.nr - 1] :
					  NULL;

		/*
		 * Outside the vmlinux's text: a module's function whose kallsyms did not say so
		 * (libtraceevent keeps no module names). Inside: the vmlinux must have this very
		 * function where kallsyms puts it.
		 */
		if (!last || link < vm->funcs.by_addr[0].addr || link >= last->addr + last->size) {
			src->status = PCR_SRC_NOT_IN_VMLINUX;
			vm->unnamed++;
			return 0;
		}
		if (!has_func_at(&vm->funcs, link, k->name)) {
			src->status = PCR_SRC_MOVED;
			return 0;
		}
		src->status = module_lines(vm->mod, addr - (uint64_t)offset - 1, src->locs,
					   PCR_INLINE_MAX, &src->nr) ? PCR_SRC_NO_LINE : PCR_SRC_OK;
		return 0;
	}
	/* Code kallsyms files under a module name that no .ko holds: no lines, nothing to say. */
	if (!strncmp(k->module, "__builtin", 9) || !strcmp(k->module, "bpf")) {
		src->status = PCR_SRC_NO_LINE;
		return 0;
	}
	ret = module_debug(vm, k->module, &m);
	if (ret)
		return ret;
	src->module_path = m->path;
	if (!m->mod) {
		src->status = m->path ? PCR_SRC_MODULE_UNREADABLE : PCR_SRC_NO_MODULE;
		return 0;
	}
	f = find_name(&m->funcs, k->name);
	if (!f) {
		src->status = PCR_SRC_MOVED;
		return 0;
	}
	module_verdict(m, f, k->start, sym);
	if (!trusted(m->agreement.agreed, m->agreement.checked, m->agreement.functions)) {
		src->status = PCR_SRC_MOVED;
		return 0;
	}
	src->status = module_lines(m->mod, f->addr + (addr - k->start) - 1, src->locs,
				   PCR_INLINE_MAX, &src->nr) ? PCR_SRC_NO_LINE : PCR_SRC_OK;
	return 0;
}

bool pcr_vmlinux_match_trusted(const struct pcr_vmlinux_match *match)
{
	return trusted(match->agreed, match->checked, match->functions);
}

size_t pcr_vmlinux_modules(const struct pcr_vmlinux *vm, size_t i, const char **name,
			   const char **path)
{
	if (i < vm->nr_modules && name && path) {
		*name = vm->modules[i].name;
		*path = vm->modules[i].mod ? vm->modules[i].path : NULL;
	}
	return vm->nr_modules;
}

uint64_t pcr_vmlinux_unnamed_frames(const struct pcr_vmlinux *vm)
{
	return vm->unnamed;
}
