// Multi-pattern keyword search on Hyperscan, for the engine's keyword prefilter (src/engine/native-keywords.ts).
// RE2.Set builds its DFA's states as the text needs them and runs at 250-450 MB/s on the prefilter's ~850
// keywords and screens; Hyperscan's literal matchers (SIMD) run the same set at 1-2 GB/s. The engine falls
// back to RE2.Set whenever this addon or its database is missing, so building it is optional.
//
// compile(patterns: string[], flags: number[]) -> Buffer     serialized database, or throws the compiler's message
// load(serialized: Buffer) -> object                         a database and its scratch space, for this thread
// scan(db, data: Buffer, widths: Uint32Array, blockSize) -> Uint32Array
//   [id, block, id, block, ...]: every block (index of blockSize bytes) in which a match of pattern `id` may begin,
//   given that its match ends where Hyperscan reports and is at most widths[id] bytes long. Each (id, block)
//   once, ascending per id.
#define NAPI_VERSION 8
#include <node_api.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                  \
  do {                                                                               \
    if ((call) != napi_ok) {                                                         \
      napi_throw_error(env, NULL, "keyword-scanner: N-API call failed: " #call);    \
      return NULL;                                                                   \
    }                                                                                \
  } while (0)

typedef struct {
  hs_database_t *db;
  hs_scratch_t *scratch;
  unsigned patterns;
} Database;

typedef struct {
  const uint32_t *widths;
  unsigned widthCount;
  unsigned long long blockSize;
  int64_t *lastBlock; // per pattern: the last block recorded (matches arrive in order of their end)
  uint32_t *out;
  size_t length, capacity;
  int failed;
} ScanState;

static napi_value throwMessage(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value Compile(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t count = 0, flagCount = 0;
  CHECK(napi_get_array_length(env, argv[0], &count));
  CHECK(napi_get_array_length(env, argv[1], &flagCount));
  if (count == 0 || flagCount != count) return throwMessage(env, "keyword-scanner: compile needs as many flags as patterns");
  char **patterns = calloc(count, sizeof(char *));
  unsigned *flags = calloc(count, sizeof(unsigned));
  unsigned *ids = calloc(count, sizeof(unsigned));
  napi_value result = NULL;
  const char *failure = NULL;
  for (uint32_t i = 0; i < count && failure == NULL; i++) {
    napi_value item, flag;
    size_t length = 0;
    if (napi_get_element(env, argv[0], i, &item) != napi_ok || napi_get_value_string_utf8(env, item, NULL, 0, &length) != napi_ok) {
      failure = "keyword-scanner: patterns must be strings";
      break;
    }
    patterns[i] = malloc(length + 1);
    napi_get_value_string_utf8(env, item, patterns[i], length + 1, &length);
    uint32_t f = 0;
    if (napi_get_element(env, argv[1], i, &flag) != napi_ok || napi_get_value_uint32(env, flag, &f) != napi_ok) failure = "keyword-scanner: flags must be numbers";
    flags[i] = f;
    ids[i] = i;
  }
  if (failure == NULL) {
    hs_database_t *db = NULL;
    hs_compile_error_t *error = NULL;
    if (hs_compile_multi((const char *const *)patterns, flags, ids, count, HS_MODE_BLOCK, NULL, &db, &error) != HS_SUCCESS) {
      char message[512];
      snprintf(message, sizeof message, "keyword-scanner: pattern %d: %s", error->expression, error->message);
      hs_free_compile_error(error);
      napi_throw_error(env, NULL, message);
    } else {
      char *bytes = NULL;
      size_t size = 0;
      if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) napi_throw_error(env, NULL, "keyword-scanner: serializing failed");
      else {
        void *copy = NULL;
        if (napi_create_buffer_copy(env, size, bytes, &copy, &result) != napi_ok) result = NULL;
        free(bytes);
      }
      hs_free_database(db);
    }
  }
  for (uint32_t i = 0; i < count; i++) free(patterns[i]);
  free(patterns);
  free(flags);
  free(ids);
  if (failure != NULL) return throwMessage(env, failure);
  return result;
}

static void FreeDatabase(napi_env env, void *data, void *hint) {
  Database *d = data;
  hs_free_scratch(d->scratch);
  hs_free_database(d->db);
  free(d);
}

static napi_value Load(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *bytes = NULL;
  size_t size = 0;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &bytes, &size) != napi_ok) return throwMessage(env, "keyword-scanner: load needs a Buffer");
  Database *d = calloc(1, sizeof(Database));
  if (hs_deserialize_database(bytes, size, &d->db) != HS_SUCCESS) {
    free(d);
    return throwMessage(env, "keyword-scanner: not a database this Hyperscan can load");
  }
  if (hs_alloc_scratch(d->db, &d->scratch) != HS_SUCCESS) {
    hs_free_database(d->db);
    free(d);
    return throwMessage(env, "keyword-scanner: allocating scratch space failed");
  }
  napi_value handle;
  CHECK(napi_create_external(env, d, FreeDatabase, NULL, &handle));
  return handle;
}

static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *context) {
  ScanState *s = context;
  if (id >= s->widthCount) return 0;
  unsigned long long width = s->widths[id];
  unsigned long long earliest = to > width ? to - width : 0;
  int64_t first = (int64_t)(earliest / s->blockSize);
  int64_t last = (int64_t)((to > 0 ? to - 1 : 0) / s->blockSize);
  // Hyperscan reports matches in order of their end, so blocks already recorded are skipped; were one to come
  // out of order, its blocks are recorded again and the caller sorts them.
  if (last >= s->lastBlock[id] && first <= s->lastBlock[id]) first = s->lastBlock[id] + 1;
  for (int64_t b = first; b <= last; b++) {
    if (s->length + 2 > s->capacity) {
      size_t capacity = s->capacity * 2;
      uint32_t *grown = realloc(s->out, capacity * sizeof(uint32_t));
      if (grown == NULL) {
        s->failed = 1;
        return 1;
      }
      s->out = grown;
      s->capacity = capacity;
    }
    s->out[s->length++] = id;
    s->out[s->length++] = (uint32_t)b;
  }
  if (last > s->lastBlock[id]) s->lastBlock[id] = last;
  return 0;
}

static void FreeOutput(napi_env env, void *data, void *hint) { free(data); }

static napi_value Scan(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return throwMessage(env, "keyword-scanner: scan(db, data, widths, blockSize)");
  Database *d = NULL;
  CHECK(napi_get_value_external(env, argv[0], (void **)&d));
  void *data = NULL;
  size_t size = 0;
  CHECK(napi_get_buffer_info(env, argv[1], &data, &size));
  napi_typedarray_type type;
  size_t widthCount = 0, offset = 0;
  void *widths = NULL;
  napi_value arraybuffer;
  CHECK(napi_get_typedarray_info(env, argv[2], &type, &widthCount, &widths, &arraybuffer, &offset));
  if (type != napi_uint32_array) return throwMessage(env, "keyword-scanner: widths must be a Uint32Array");
  uint32_t blockSize = 0;
  CHECK(napi_get_value_uint32(env, argv[3], &blockSize));
  if (blockSize == 0) return throwMessage(env, "keyword-scanner: blockSize must be positive");
  if (size > 0xffffffffu) return throwMessage(env, "keyword-scanner: data larger than 4 GiB");

  ScanState s = {.widths = widths, .widthCount = (unsigned)widthCount, .blockSize = blockSize, .capacity = 256};
  s.lastBlock = malloc(sizeof(int64_t) * (widthCount > 0 ? widthCount : 1));
  for (size_t i = 0; i < widthCount; i++) s.lastBlock[i] = -1;
  s.out = malloc(s.capacity * sizeof(uint32_t));
  hs_error_t status = size == 0 ? HS_SUCCESS : hs_scan(d->db, data, (unsigned)size, 0, d->scratch, OnMatch, &s);
  free(s.lastBlock);
  if (s.failed || (status != HS_SUCCESS && status != HS_SCAN_TERMINATED)) {
    free(s.out);
    return throwMessage(env, "keyword-scanner: scan failed");
  }
  napi_value buffer, result;
  if (s.length == 0) {
    free(s.out);
    CHECK(napi_create_arraybuffer(env, 0, NULL, &buffer));
  } else {
    CHECK(napi_create_external_arraybuffer(env, s.out, s.length * sizeof(uint32_t), FreeOutput, NULL, &buffer));
  }
  CHECK(napi_create_typedarray(env, napi_uint32_array, s.length, buffer, 0, &result));
  return result;
}

static napi_value Version(napi_env env, napi_callback_info info) {
  napi_value result;
  CHECK(napi_create_string_utf8(env, hs_version(), NAPI_AUTO_LENGTH, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"compile", NULL, Compile, NULL, NULL, NULL, napi_default, NULL},
      {"load", NULL, Load, NULL, NULL, NULL, napi_default, NULL},
      {"scan", NULL, Scan, NULL, NULL, NULL, napi_default, NULL},
      {"version", NULL, Version, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}
