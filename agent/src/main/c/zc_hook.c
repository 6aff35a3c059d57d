/*
 * zc's class-load hook: a JVMTI ClassFileLoadHook that runs ConstantPoolScan's test on every class the application
 * loads, in C, and calls into Java (NativeHook.loaded) only for the few classes that pass it.
 *
 * Why: a Java ClassFileTransformer makes java.instrument (JPLIS) call into Java for every class loaded, copying the
 * class file into a byte[] each time, and the scan itself runs in the interpreter until the JIT compiles it. A Spring
 * Boot start loads ~12,000 classes; of those a few hundred at most pass the scan.
 *
 * The wanted constants, the skipped name prefixes and the JDK class to hook come from Java (NativeHook.install), so
 * this file and ConstantPoolScan keep one list. What is fixed here is the class file format (JVMS 4.4).
 * Every read of the class file is bounds-checked, on 64-bit positions: a malformed class answers "no", as
 * ConstantPoolScan's does.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdlib.h>
#include <string.h>

/* The entries of each constant-pool tag, tag byte included; 0 for UTF-8 and unknown tags (JVMS 4.4, Table 4.4-B). */
static const unsigned char SIZE[21] = {0, 0, 0, 5, 5, 9, 9, 3, 3, 5, 5, 5, 5, 0, 0, 4, 3, 5, 5, 3, 3};

#define MAX_WANTED_LEN 255

typedef struct {
    int count;
    const unsigned char **bytes; /* each of the same length */
    int *bits;
} wanted_of_len;

static wanted_of_len wanted[MAX_WANTED_LEN + 1];
static int loop_mask;
static int helper_mask;
static char **skipped;
static int skipped_count;
static char *jdk_target; /* the JDK class whose load is passed up even from the boot loader, or NULL */

static int tables_set;
static jclass upcall_class;
static jmethodID upcall;

/* Set while this thread is inside the upcall: the classes Java loads meanwhile are zc's and the JDK's. */
static __thread int busy;

static int u2(const unsigned char *b, jint n, long long off, int *ok) {
    if (off < 0 || off + 1 >= n) {
        *ok = 0;
        return 0;
    }
    return (b[off] << 8) | b[off + 1];
}

/* ConstantPoolScan.scan: 1 when the class may hold a copy loop or a helper call, 0 when it cannot. */
static int scan(const unsigned char *b, jint n) {
    int ok = 1;
    if (n < 10 || b[0] != 0xca || b[1] != 0xfe) {
        return 0;
    }
    int count = u2(b, n, 8, &ok);
    /* 64 bits: up to 65,535 entries of up to 65,538 bytes each run past INT_MAX, where Java's int wraps to a
       negative index and answers no; here the position keeps growing and fails the same bounds check */
    long long pos = 10;
    int found = 0;
    for (int i = 1; i < count; i++) {
        if (pos < 0 || pos >= n) {
            return 0;
        }
        int tag = (signed char) b[pos];
        if (tag == 1) {
            int len = u2(b, n, pos + 1, &ok);
            if (!ok) {
                return 0;
            }
            pos += 3;
            if (len <= MAX_WANTED_LEN && wanted[len].count > 0) {
                wanted_of_len *w = &wanted[len];
                for (int k = 0; k < w->count; k++) {
                    int j = 0;
                    while (j < len) {
                        if (pos + j >= n) {
                            return 0;
                        }
                        if (b[pos + j] != w->bytes[k][j]) {
                            break;
                        }
                        j++;
                    }
                    if (j == len) {
                        found |= w->bits[k];
                        break;
                    }
                }
                if ((found & loop_mask) == loop_mask || (found & helper_mask) == helper_mask) {
                    return 1;
                }
            }
            pos += len;
        } else {
            int size = tag > 0 && tag < (int) sizeof(SIZE) ? SIZE[tag] : 0;
            if (size == 0) {
                return 1; /* a tag this scan does not know: the full parser decides */
            }
            pos += size;
            if (size == 9) {
                i++;
            }
        }
    }
    return 0;
}

static int is_skipped(const char *name) {
    for (int i = 0; i < skipped_count; i++) {
        if (strncmp(name, skipped[i], strlen(skipped[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

static void JNICALL on_class_file_load(jvmtiEnv *env, JNIEnv *jni, jclass redefined, jobject loader,
                                       const char *name, jobject pd, jint len, const unsigned char *data,
                                       jint *new_len, unsigned char **new_data) {
    (void) redefined; /* a redefinition (another agent's, a debugger's) and a retransformation are checked as a load */
    if (name == NULL || busy) {
        return;
    }
    if (loader == NULL) {
        if (jdk_target == NULL || strcmp(name, jdk_target) != 0) {
            return;
        }
    } else if (is_skipped(name) || !scan(data, len)) {
        return;
    }
    busy = 1;
    /* As JPLIS does: a pending exception of the loading thread is kept aside and put back. */
    jthrowable pending = (*jni)->ExceptionOccurred(jni);
    if (pending != NULL) {
        (*jni)->ExceptionClear(jni);
    }
    jstring jname = (*jni)->NewStringUTF(jni, name);
    jbyteArray in = jname == NULL ? NULL : (*jni)->NewByteArray(jni, len);
    if (in != NULL) {
        (*jni)->SetByteArrayRegion(jni, in, 0, len, (const jbyte *) data);
        jbyteArray out = (jbyteArray) (*jni)->CallStaticObjectMethod(jni, upcall_class, upcall, loader, jname, pd, in);
        if ((*jni)->ExceptionCheck(jni)) {
            out = NULL; /* NativeHook.loaded catches everything; this is an OutOfMemoryError or the like */
        }
        if (out != NULL) {
            jsize n = (*jni)->GetArrayLength(jni, out);
            unsigned char *copy = NULL;
            if ((*env)->Allocate(env, n, &copy) == JVMTI_ERROR_NONE) {
                (*jni)->GetByteArrayRegion(jni, out, 0, n, (jbyte *) copy);
                *new_len = n;
                *new_data = copy;
            }
            (*jni)->DeleteLocalRef(jni, out);
        }
        (*jni)->DeleteLocalRef(jni, in);
    }
    (*jni)->ExceptionClear(jni);
    if (jname != NULL) {
        (*jni)->DeleteLocalRef(jni, jname);
    }
    if (pending != NULL) {
        (*jni)->Throw(jni, pending);
        (*jni)->DeleteLocalRef(jni, pending);
    }
    busy = 0;
}

static char *copy_string(JNIEnv *jni, jstring s) {
    const char *utf = (*jni)->GetStringUTFChars(jni, s, NULL);
    if (utf == NULL) {
        return NULL;
    }
    char *c = strdup(utf);
    (*jni)->ReleaseStringUTFChars(jni, s, utf);
    return c;
}

/* A static field's value, or NULL (with no exception left pending) where the class has no such field. */
static jobject static_field(JNIEnv *jni, jclass c, const char *name, const char *sig) {
    jfieldID f = (*jni)->GetStaticFieldID(jni, c, name, sig);
    if (f == NULL) {
        (*jni)->ExceptionClear(jni);
        return NULL;
    }
    return (*jni)->GetStaticObjectField(jni, c, f);
}

static jint static_int(JNIEnv *jni, jclass c, const char *name) {
    jfieldID f = (*jni)->GetStaticFieldID(jni, c, name, "I");
    if (f == NULL) {
        (*jni)->ExceptionClear(jni);
        return -1;
    }
    return (*jni)->GetStaticIntField(jni, c, f);
}

/* Fills the tables from NativeHook's static fields; 0 on success. */
static int tables(JNIEnv *jni, jclass hook) {
    jobjectArray wanted_bytes = (jobjectArray) static_field(jni, hook, "wantedBytes", "[[B");
    jintArray bits = (jintArray) static_field(jni, hook, "wantedBits", "[I");
    jobjectArray prefixes = (jobjectArray) static_field(jni, hook, "skippedPrefixes", "[Ljava/lang/String;");
    jstring target = (jstring) static_field(jni, hook, "bootTarget", "Ljava/lang/String;");
    loop_mask = static_int(jni, hook, "loopBits");
    helper_mask = static_int(jni, hook, "helperBits");
    if (wanted_bytes == NULL || bits == NULL || prefixes == NULL || loop_mask <= 0
            || helper_mask <= 0) {
        return 1;
    }
    jsize count = (*jni)->GetArrayLength(jni, wanted_bytes);
    if ((*jni)->GetArrayLength(jni, bits) != count) {
        return 1;
    }
    jint *b = (*jni)->GetIntArrayElements(jni, bits, NULL);
    if (b == NULL) {
        return 1;
    }
    for (jsize i = 0; i < count; i++) {
        jbyteArray w = (jbyteArray) (*jni)->GetObjectArrayElement(jni, wanted_bytes, i);
        jsize len = w == NULL ? MAX_WANTED_LEN + 1 : (*jni)->GetArrayLength(jni, w);
        if (len > MAX_WANTED_LEN) {
            (*jni)->ReleaseIntArrayElements(jni, bits, b, JNI_ABORT);
            return 2;
        }
        unsigned char *bytes = malloc(len + 1);
        wanted_of_len *slot = &wanted[len];
        const unsigned char **more_bytes = realloc((void *) slot->bytes, (slot->count + 1) * sizeof(unsigned char *));
        int *more_bits = more_bytes == NULL ? NULL : realloc(slot->bits, (slot->count + 1) * sizeof(int));
        if (more_bytes != NULL) {
            slot->bytes = more_bytes;
        }
        if (more_bits != NULL) {
            slot->bits = more_bits;
        }
        if (bytes == NULL || more_bytes == NULL || more_bits == NULL) {
            (*jni)->ReleaseIntArrayElements(jni, bits, b, JNI_ABORT);
            return 3;
        }
        (*jni)->GetByteArrayRegion(jni, w, 0, len, (jbyte *) bytes);
        slot->bytes[slot->count] = bytes;
        slot->bits[slot->count] = b[i];
        slot->count++;
        (*jni)->DeleteLocalRef(jni, w);
    }
    (*jni)->ReleaseIntArrayElements(jni, bits, b, JNI_ABORT);
    skipped_count = (*jni)->GetArrayLength(jni, prefixes);
    skipped = calloc(skipped_count + 1, sizeof(char *));
    if (skipped == NULL) {
        return 3;
    }
    for (int i = 0; i < skipped_count; i++) {
        jstring p = (jstring) (*jni)->GetObjectArrayElement(jni, prefixes, i);
        skipped[i] = p == NULL ? NULL : copy_string(jni, p);
        if (skipped[i] == NULL) {
            return 3;
        }
    }
    if (target != NULL && (jdk_target = copy_string(jni, target)) == NULL) {
        return 3;
    }
    return 0;
}

/* Turns the hook on, calling NativeHook.loaded; 0, or a code (10-12: the JVMTI call, plus 1000 * its jvmtiError). */
static int enable(JavaVM *vm, JNIEnv *jni, jclass hook) {
    upcall_class = (jclass) (*jni)->NewGlobalRef(jni, hook);
    upcall = (*jni)->GetStaticMethodID(jni, hook, "loaded",
            "(Ljava/lang/ClassLoader;Ljava/lang/String;Ljava/security/ProtectionDomain;[B)[B");
    if (upcall_class == NULL || upcall == NULL) {
        return 4;
    }
    jvmtiEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_1_2) != JNI_OK) {
        return 5;
    }
    /* Retransformation-capable, as java.instrument's environment for a transformer added with canRetransform: the
       JVM then calls this hook for retransformations too (the classes an AOT cache loaded before premain, the
       JDK's ChannelInputStream, another agent's retransformClasses), with the class file before any
       retransformation-capable agent changed it; and among such environments in creation order, so zc keeps its
       place from the command line. java.instrument already holds the capability for zc's jar
       (Can-Retransform-Classes), so the JVM pays nothing more for it. */
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof(caps));
    caps.can_retransform_classes = 1;
    jvmtiError e = (*env)->AddCapabilities(env, &caps);
    if (e != JVMTI_ERROR_NONE) {
        (*env)->DisposeEnvironment(env);
        return 12 + 1000 * e;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.ClassFileLoadHook = &on_class_file_load;
    e = (*env)->SetEventCallbacks(env, &callbacks, (jint) sizeof(callbacks));
    if (e == JVMTI_ERROR_NONE) {
        e = (*env)->SetEventNotificationMode(env, JVMTI_ENABLE, JVMTI_EVENT_CLASS_FILE_LOAD_HOOK, NULL);
        if (e == JVMTI_ERROR_NONE) {
            return 0; /* the environment lives as long as the JVM */
        }
        (*env)->DisposeEnvironment(env);
        return 11 + 1000 * e;
    }
    (*env)->DisposeEnvironment(env);
    return 10 + 1000 * e;
}

/*
 * Runs as NativeHook loads the library: reads the tables from NativeHook's static fields, turns the hook on when its
 * field enable is true, and leaves 0 or a code in its field status. Set-up through JNI_OnLoad and fields, not native
 * methods: binding a native method of a class-path class prints JEP 472's warning on JDK 24+, reading a field does
 * not. FindClass here resolves with the loader of the class that loaded the library (NativeHook's).
 */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *jni;
    if ((*vm)->GetEnv(vm, (void **) &jni, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_VERSION_1_8;
    }
    /* JniLibraries holds the class to set up from: FindClass here resolves through the loader of the class that
       loaded the library (NativeHook's with System.load, the bootstrap loader's through JniLibraries), and
       JniLibraries is found through both */
    jclass handoff = (*jni)->FindClass(jni, "zc/agent/rt/JniLibraries");
    jclass hook = handoff == NULL ? NULL : (jclass) static_field(jni, handoff, "owner", "Ljava/lang/Class;");
    if (hook == NULL) {
        (*jni)->ExceptionClear(jni);
        return JNI_VERSION_1_8;
    }
    int status = tables(jni, hook);
    if (status == 0) {
        tables_set = 1;
        jfieldID on = (*jni)->GetStaticFieldID(jni, hook, "enable", "Z");
        if (on != NULL && (*jni)->GetStaticBooleanField(jni, hook, on)) {
            status = enable(vm, jni, hook);
        }
    }
    (*jni)->ExceptionClear(jni);
    jfieldID f = (*jni)->GetStaticFieldID(jni, hook, "status", "I");
    if (f != NULL) {
        (*jni)->SetStaticIntField(jni, hook, f, status);
    }
    (*jni)->ExceptionClear(jni);
    (*jni)->DeleteLocalRef(jni, hook);
    return JNI_VERSION_1_8;
}

/*
 * NativeHook.scan, for the test that holds this file's scan to ConstantPoolScan's answers. A native method bound
 * only when called: the agent itself never calls it.
 */
JNIEXPORT jboolean JNICALL Java_zc_agent_boot_NativeHook_scan(JNIEnv *jni, jclass self, jbyteArray classFile) {
    (void) self;
    if (!tables_set) {
        return JNI_FALSE;
    }
    jsize n = (*jni)->GetArrayLength(jni, classFile);
    jbyte *b = (*jni)->GetByteArrayElements(jni, classFile, NULL);
    if (b == NULL) {
        return JNI_FALSE;
    }
    int r = scan((const unsigned char *) b, n);
    (*jni)->ReleaseByteArrayElements(jni, classFile, b, JNI_ABORT);
    return r ? JNI_TRUE : JNI_FALSE;
}
