"""Calls the Teams contract's write, client-streaming and bidi RPCs from Python.

Debian's grpcio, with the messages built at run time from a descriptor set of
proto/teams.proto (compiled by `buf build` when the test runs): Debian's
grpc_tools bundles protoc 3.5, which refuses proto3 `optional` (if_version).

    /usr/bin/python3 contract_client.py DESCRIPTORS ADDRESS put CITY NICKNAME   # token: TEAMS_TOKEN
    /usr/bin/python3 contract_client.py DESCRIPTORS ADDRESS import < rows.csv   # "city,nickname" lines
    /usr/bin/python3 contract_client.py DESCRIPTORS ADDRESS lookup CITY...
"""

import os
import queue
import sys

import grpc
from google.protobuf import descriptor_pb2, message_factory


def load_messages(path):
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as source:
        files.ParseFromString(source.read())
    return message_factory.GetMessages(files.file)


def method(channel, kind, name, request, response):
    """A multicallable for /Teams/<name>, (de)serializing with the dynamic classes."""
    return getattr(channel, kind)(
        f"/Teams/{name}",
        request_serializer=request.SerializeToString,
        response_deserializer=response.FromString,
    )


def token_metadata():
    token = os.environ.get("TEAMS_TOKEN", "")
    return [("authorization", f"Bearer {token}")] if token else []


def put(channel, messages, city, nickname):
    call = method(channel, "unary_unary", "PutTeam", messages["PutTeamRequest"], messages["TeamResponse"])
    team = call(messages["PutTeamRequest"](city=city, nickname=nickname), metadata=token_metadata(), timeout=10)
    print(team.city, team.nickname, "version" if team.version > 0 else "no-version")


def import_rows(channel, messages):
    """Client streaming: rows are sent as the generator yields them."""
    call = method(channel, "stream_unary", "ImportTeams", messages["PutTeamRequest"], messages["ImportTeamsResponse"])

    def rows():
        for line in sys.stdin:
            city, _, nickname = line.rstrip("\n").partition(",")
            yield messages["PutTeamRequest"](city=city, nickname=nickname)

    answer = call(rows(), metadata=token_metadata(), timeout=60)
    print(f"created={answer.created} updated={answer.updated} unchanged={answer.unchanged} rejected={answer.rejected_count}")
    for row in answer.rejected:
        print(f"rejected {row.index} {row.field}")


def lookup(channel, messages, cities):
    """Bidi: each city is sent only after the previous answer came back on the open stream."""
    call = method(channel, "stream_stream", "LookupTeams", messages["TeamRequest"], messages["TeamResponse"])
    outbox = queue.Queue()

    def requests():
        while True:
            city = outbox.get()
            if city is None:
                return
            yield messages["TeamRequest"](city=city)

    answers = call(requests(), timeout=30)
    for city in cities:
        outbox.put(city)
        team = next(answers)
        print(team.city, team.nickname)
    outbox.put(None)
    for _ in answers:
        pass


def main(descriptors, address, command, *args):
    messages = load_messages(descriptors)
    with grpc.insecure_channel(address) as channel:
        try:
            if command == "put":
                put(channel, messages, *args)
            elif command == "import":
                import_rows(channel, messages)
            elif command == "lookup":
                lookup(channel, messages, args)
            else:
                raise SystemExit(f"unknown command {command}")
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}")
            raise SystemExit(1) from None


if __name__ == "__main__":
    main(*sys.argv[1:])
