/*
 * lwIP's operating-system types on Mica's cooperative threads.
 * Semaphores, mutexes and mailboxes are heap objects behind a pointer
 * (NULL: not valid); a thread is a struct thread.
 */
#ifndef MICA_LWIP_ARCH_SYS_ARCH_H
#define MICA_LWIP_ARCH_SYS_ARCH_H

struct sys_sem;
struct sys_mutex;
struct sys_mbox;
struct thread;

typedef struct sys_sem *sys_sem_t;
typedef struct sys_mutex *sys_mutex_t;
typedef struct sys_mbox *sys_mbox_t;
typedef struct thread *sys_thread_t;

#define sys_sem_valid(s) ((s) != NULL && *(s) != NULL)
#define sys_sem_set_invalid(s) (*(s) = NULL)
#define sys_mutex_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mutex_set_invalid(m) (*(m) = NULL)
#define sys_mbox_valid(b) ((b) != NULL && *(b) != NULL)
#define sys_mbox_set_invalid(b) (*(b) = NULL)

/*
 * Nothing preempts a Mica thread and no interrupt handler touches lwIP,
 * so a critical section needs no protection at all: these are no-ops.
 * (Nothing lwIP does inside one blocks or yields.)
 */
typedef int sys_prot_t;
#define SYS_ARCH_DECL_PROTECT(lev)
#define SYS_ARCH_PROTECT(lev)
#define SYS_ARCH_UNPROTECT(lev)

void mica_sys_msleep(unsigned int ms);
#define sys_msleep(ms) mica_sys_msleep(ms)

#endif
