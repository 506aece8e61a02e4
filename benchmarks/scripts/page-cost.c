/*
 * What writing new file data costs on this machine, per byte, by how it is written (docs/benchmarks.md, twenty-third
 * session of issue #20). Build and run with benchmarks/scripts/page-cost. Each run writes a new file of SIZE_MIB in
 * the given directory, then deletes it:
 *   write            write(2) of 1 MiB buffers into a new file
 *   write-recycled   the same, four files in turn, each file's page cache dropped (fdatasync + POSIX_FADV_DONTNEED)
 *                    after it is written, so that the next one's pages are ones just freed; the rounds after the first
 *   mmap             stores through a shared mapping of a new (sparse) file: a page fault per 4 KiB page
 *   mmap-populate    madvise(MADV_POPULATE_WRITE) over the mapping first (as the prefaulter does), then the stores
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define MIB (1UL << 20)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char *what) {
    perror(what);
    exit(1);
}

static double write_file(const char *path, size_t size, const char *buffer) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) fail("open");
    double start = now();
    for (size_t at = 0; at < size; at += MIB) {
        if (pwrite(fd, buffer, MIB, at) != (ssize_t) MIB) fail("pwrite");
    }
    double took = now() - start;
    if (fdatasync(fd) != 0) fail("fdatasync");
    close(fd);
    return took;
}

static double map_file(const char *path, size_t size, const char *buffer, int populate) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, size) != 0) fail("open");
    char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) fail("mmap");
    double start = now();
    if (populate && madvise(map, size, MADV_POPULATE_WRITE) != 0) fail("madvise");
    for (size_t at = 0; at < size; at += MIB) {
        memcpy(map + at, buffer, MIB);
    }
    double took = now() - start;
    munmap(map, size);
    close(fd);
    return took;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: page-cost write|write-recycled|mmap|mmap-populate DIRECTORY SIZE_MIB\n");
        return 2;
    }
    const char *mode = argv[1];
    size_t size = strtoul(argv[3], NULL, 10) * MIB;
    char *buffer = malloc(MIB);
    memset(buffer, 0x5a, MIB);
    char path[4096];
    if (strcmp(mode, "write-recycled") == 0) {
        for (int round = 0; round < 4; round++) {
            snprintf(path, sizeof path, "%s/page-cost-%d", argv[2], round);
            double took = write_file(path, size, buffer);
            int fd = open(path, O_RDONLY);
            posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            close(fd);
            printf("%s round %d: %.3f ns per byte\n", mode, round, took * 1e9 / size);
        }
        for (int round = 0; round < 4; round++) {
            snprintf(path, sizeof path, "%s/page-cost-%d", argv[2], round);
            unlink(path);
        }
        return 0;
    }
    snprintf(path, sizeof path, "%s/page-cost", argv[2]);
    double took;
    if (strcmp(mode, "write") == 0) {
        took = write_file(path, size, buffer);
    } else if (strcmp(mode, "mmap") == 0) {
        took = map_file(path, size, buffer, 0);
    } else if (strcmp(mode, "mmap-populate") == 0) {
        took = map_file(path, size, buffer, 1);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    unlink(path);
    printf("%s: %.3f ns per byte\n", mode, took * 1e9 / size);
    return 0;
}
