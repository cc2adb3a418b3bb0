"""A Teams server on Python grpcio (gRPC C-core), to show the gateway works in
front of any gRPC server, not only ours. C-core refuses calls without `te: trailers`
("Missing :te header"), so every OK answer here also proves the gateway sends it.

Usage: /usr/bin/python3 teams_server.py DESCRIPTORS
DESCRIPTORS is a FileDescriptorSet of proto/teams.proto (`buf build` at test time; Debian's
protoc 3.5 refuses proto3 `optional`): the messages are built from it at run time and the
service is registered as a generic handler. Prints {"port": N} once serving; stops when
stdin closes or on SIGTERM.
"""

import json
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, message_factory

TEAMS = {
    "chicago": ("Chicago", "Jackals"),
    "detroit": ("Detroit", "Wheels"),
    "seattle": ("Seattle", "Orcas"),
}


def load_messages(path):
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as source:
        files.ParseFromString(source.read())
    return message_factory.GetMessages(files.file)


MESSAGES = load_messages(sys.argv[1])
TeamRequest = MESSAGES["TeamRequest"]
TeamResponse = MESSAGES["TeamResponse"]
ListTeamsRequest = MESSAGES["ListTeamsRequest"]


class Teams:
    def GetTeam(self, request, context):
        echo = dict(context.invocation_metadata()).get("x-echo")
        if echo is not None:
            context.send_initial_metadata((("x-echo", echo),))
            context.set_trailing_metadata((("x-echo-trailer", echo),))
        city = request.city.strip()
        if not city:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "city: must be 1 to 128 characters, got 0")
        found = TEAMS.get(city.lower())
        if found is None:
            return TeamResponse(city=city, nickname="not a member", found=False)
        return TeamResponse(city=found[0], nickname=found[1], found=True)

    def ListTeams(self, request, context):
        prefix = request.prefix.strip().lower()
        matches = sorted(v for k, v in TEAMS.items() if k.startswith(prefix))
        if request.limit:
            matches = matches[: request.limit]
        for city, nickname in matches:
            yield TeamResponse(city=city, nickname=nickname, found=True)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    teams = Teams()
    handlers = {
        "GetTeam": grpc.unary_unary_rpc_method_handler(
            teams.GetTeam,
            request_deserializer=TeamRequest.FromString,
            response_serializer=TeamResponse.SerializeToString,
        ),
        "ListTeams": grpc.unary_stream_rpc_method_handler(
            teams.ListTeams,
            request_deserializer=ListTeamsRequest.FromString,
            response_serializer=TeamResponse.SerializeToString,
        ),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("Teams", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(json.dumps({"port": port}), flush=True)
    # The test closes stdin to stop us; a signal works too.
    stopper = threading.Thread(target=lambda: (sys.stdin.read(), server.stop(0)), daemon=True)
    stopper.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
