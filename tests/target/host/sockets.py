"""Sockets as asyncio and timeouts use them, over loopback: a send that
cannot go on must give way (BlockingIOError, TimeoutError), never block
the program."""
import asyncio
import socket

PAYLOAD = b"12345abcde" * 16384  # 160 KiB: more than any socket buffer


def nonblocking_send(server):
    client = socket.create_connection(server.getsockname())
    peer, _ = server.accept()  # never reads
    client.setblocking(False)
    sent = 0
    try:
        while sent < 1 << 24:
            sent += client.send(PAYLOAD)
        return "never blocked"
    except BlockingIOError:
        return "BlockingIOError"
    finally:
        client.close()
        peer.close()


def send_timeout(server):
    client = socket.create_connection(server.getsockname())
    peer, _ = server.accept()  # never reads
    client.settimeout(0.5)
    try:
        for _ in range(100):
            client.sendall(PAYLOAD)
        return "never timed out"
    except TimeoutError:
        return "TimeoutError"
    finally:
        client.close()
        peer.close()


async def echo():
    async def handle(reader, writer):
        writer.write(await reader.readexactly(len(PAYLOAD)))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection(*server.sockets[0].getsockname())
    writer.write(PAYLOAD)
    await writer.drain()
    back = await reader.readexactly(len(PAYLOAD))
    writer.close()
    server.close()
    await server.wait_closed()
    return back == PAYLOAD


with socket.create_server(("127.0.0.1", 0)) as server:
    print("nonblocking send =", repr(nonblocking_send(server)))
    print("send timeout =", repr(send_timeout(server)))
print("asyncio echo =", repr(asyncio.run(asyncio.wait_for(echo(), 60))))
