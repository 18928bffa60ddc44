"""aksnet/core"""
